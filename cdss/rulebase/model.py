"""The rule base in memory: rules, their conclusions, and the rule base's metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from cdss.rulebase.conditions import Condition
from cdss.vocabulary import AlertKind, CauseCategory, TestKind, TreatmentKind, Urgency

# "prior": a base rate (how common a cause is when nothing recorded points elsewhere); it ranks
# like bedside support but never makes a case documented (Decision.under_documented).
Basis = Literal["bedside", "result", "prior"]


@dataclass(frozen=True, slots=True)
class Finding:
    """An intermediate finding (F_*): no certainty of its own, it makes later rules fire."""

    name: str

    def describe(self) -> str:
        return f"finding {self.name}"


@dataclass(frozen=True, slots=True)
class Evidence:
    """Support for (direction +1) or against (-1) a cause, with a certainty weight."""

    cause: CauseCategory
    weight: float
    direction: int  # +1 support, -1 against
    basis: Basis = "bedside"

    def describe(self) -> str:
        sign = "support" if self.direction > 0 else "against"
        arrow = "+" if self.direction > 0 else "-"
        return f"{sign} {self.cause.value} {arrow}{self.weight:.2f} ({self.basis})"


@dataclass(frozen=True, slots=True)
class WeightedEvidence:
    """One evidence conclusion of one fired rule (its id, so one rule counts once per cause)."""

    rule_id: str
    evidence: Evidence
    # (rule id, cause, direction, basis): what one rule's weight is the largest of when it
    # fires for both legs (cdss.certainty); built once here, read in every combination
    key: tuple[str, CauseCategory, int, Basis] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        e = self.evidence
        object.__setattr__(self, "key", (self.rule_id, e.cause, e.direction, e.basis))


@dataclass(frozen=True, slots=True)
class AlertConclusion:
    kind: AlertKind
    urgency: Urgency
    summary: str
    action: str
    concerns: tuple[CauseCategory, ...] = ()
    # The case facts whose recorded value can withdraw the alert (an unrecorded one never does).
    withdrawn_by: tuple[str, ...] = ()

    def describe(self) -> str:
        return f"alert {self.kind.value} {self.urgency.value}"


@dataclass(frozen=True, slots=True)
class TestConclusion:
    __test__ = False  # not a pytest test class

    test: TestKind
    urgency: Urgency
    explanation: str
    earliest_day: int | None = None
    timing: str = ""
    repeat: bool = False  # suggest even when the result is already in the case

    def describe(self) -> str:
        return f"test {self.test.value} {self.urgency.value}"


@dataclass(frozen=True, slots=True)
class TreatmentConclusion:
    treatment: TreatmentKind
    explanation: str
    for_causes: tuple[CauseCategory, ...] = ()

    def describe(self) -> str:
        return f"treatment {self.treatment.value}"


@dataclass(frozen=True, slots=True)
class Withhold:
    """Keep a test or treatment out of the answer, whatever else suggests it."""

    item: TestKind | TreatmentKind
    reason: str

    def describe(self) -> str:
        return f"withhold {self.item.value}"


@dataclass(frozen=True, slots=True)
class Request:
    """Missing information worth collecting next."""

    fields: tuple[str, ...]
    question: str
    urgency: Urgency = Urgency.URGENCY_ROUTINE
    separates: tuple[CauseCategory, ...] = ()

    def describe(self) -> str:
        return f"request {', '.join(self.fields)}"


Conclusion = (
    Finding | Evidence | AlertConclusion | TestConclusion | TreatmentConclusion | Withhold | Request
)


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str
    version: int
    status: str
    when: Condition
    then: tuple[Conclusion, ...]
    rationale: str
    source: tuple[int, ...]
    file: str
    line: int
    brief: str = ""  # the brief's rule number(s) this rule encodes
    changes: str = ""
    mirror: bool = False  # a leg finding also derived for the other leg (as O.F_*)
    # ids (file stems) of library cases the rule must fire on, and of cases where its positive
    # part holds but an exclusion (a `not`) must stop it; checked by tests/test_rule_examples.py
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()

    @property
    def findings(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.then if isinstance(c, Finding))

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        return tuple(c for c in self.then if isinstance(c, Evidence))


@dataclass(frozen=True, slots=True)
class Thresholds:
    likely: float = 0.5
    possible: float = 0.15
    close_call: float = 0.15  # two leading causes closer than this are "unresolved"


@dataclass(frozen=True, slots=True)
class DrugClass:
    name: str
    members: tuple[str, ...]
    source: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Meta:
    name: str
    version: str
    intended_use: str
    thresholds: Thresholds
    references: dict[int, str]
    drug_classes: dict[str, DrugClass]
    test_result_fields: dict[TestKind, str]
    safety_net: SafetyNet | None = None


PRESENTATIONS = ("abrupt", "subacute", "gradual", "onset_unknown", "bilateral")


@dataclass(frozen=True, slots=True)
class SafetyNet:
    """What an under-documented answer lists when no cause has rule support: per presentation
    (``PRESENTATIONS``), the causes that must not be missed, and per cause the findings that
    would settle it. It is rule-base data (rulebase.yaml `must_not_miss`), with its sources."""

    must_not_miss: dict[str, tuple[CauseCategory, ...]]
    settle: dict[CauseCategory, str]
    sources: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class RuleBase:
    meta: Meta
    rules: tuple[Rule, ...]
    content_hash: str
    files: tuple[str, ...] = field(default=())
    topics: dict[str, str] = field(default_factory=dict)  # rule file -> its topic
    texts: dict[str, str] = field(default_factory=dict)  # file -> content (for audit replay)

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def citation(self, rule: Rule) -> str:
        return "; ".join(f"[{n}] {self.meta.references[n]}" for n in rule.source)
