"""The answer to one case, as plain data (the servicer turns it into protobuf)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import NamedTuple

from cdss.vocabulary import (
    AlertKind,
    CauseCategory,
    CauseGroup,
    Leg,
    Likelihood,
    TestKind,
    TreatmentKind,
    Urgency,
)


class Detail(IntEnum):
    """How much of the explained answer to build (the request's ``detail``; see its proto).

    SUMMARY: the items and their explanations, rules without the facts behind them, requests
    unranked; STANDARD: plus the facts behind every item and the ranked requests; FULL: plus
    the trace and why-not. Each level does only its own work."""

    SUMMARY = 1
    STANDARD = 2
    FULL = 3


class FactValue(NamedTuple):
    """One fact a rule matched: a tuple, cheap to hash and deduplicate (there are many)."""

    name: str  # the case path, e.g. exam.right.hip_abduction, or "finding F_UMN"
    value: str

    def __str__(self) -> str:
        return f"{self.name} = {self.value}"


@dataclass(frozen=True, slots=True)
class RuleRef:
    rule_id: str
    title: str
    leg: Leg | None
    facts: tuple[FactValue, ...]
    weight: float = 0.0


@dataclass(frozen=True, slots=True)
class RankedCause:
    category: CauseCategory
    group: CauseGroup
    certainty: float
    likelihood: Likelihood
    explanation: str
    rank: int
    supporting: tuple[RuleRef, ...]
    against: tuple[RuleRef, ...]

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.rule_id for r in self.supporting))

    @property
    def facts(self) -> tuple[FactValue, ...]:
        return tuple(dict.fromkeys(f for r in self.supporting for f in r.facts))


@dataclass(frozen=True, slots=True)
class Alert:
    kind: AlertKind
    urgency: Urgency
    summary: str
    action: str
    rule_ids: tuple[str, ...]
    facts: tuple[FactValue, ...]
    # Case fields whose recorded value would withdraw the alert; an unrecorded one never does.
    withdrawn_by: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SuggestedTest:
    __test__ = False  # not a pytest test class

    test: TestKind
    urgency: Urgency
    explanation: str
    rule_ids: tuple[str, ...]
    timing: str
    earliest_day_after_onset: int | None
    facts: tuple[FactValue, ...]


@dataclass(frozen=True, slots=True)
class SuggestedTreatment:
    treatment: TreatmentKind
    explanation: str
    rule_ids: tuple[str, ...]
    for_causes: tuple[CauseCategory, ...]
    facts: tuple[FactValue, ...]


@dataclass(frozen=True, slots=True)
class Withheld:
    item: TestKind | TreatmentKind
    reason: str
    rule_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class InformationRequest:
    fields: tuple[str, ...]
    question: str
    reason: str
    separates: tuple[CauseCategory, ...]
    urgency: Urgency
    rule_ids: tuple[str, ...]
    expected_change: float = 0.0


@dataclass(frozen=True, slots=True)
class TraceEntry:
    rule_id: str
    rule_version: int
    title: str
    stratum: int
    leg: Leg | None
    facts: tuple[FactValue, ...]
    conclusions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WhyNot:
    category: CauseCategory
    certainty: float
    explanation: str
    against: tuple[RuleRef, ...]


@dataclass(frozen=True, slots=True)
class Decision:
    case_id: str
    alerts: tuple[Alert, ...]
    causes: tuple[RankedCause, ...]
    tests: tuple[SuggestedTest, ...]
    treatments: tuple[SuggestedTreatment, ...]
    requests: tuple[InformationRequest, ...]
    not_assessed: tuple[str, ...]
    conflicts: tuple[str, ...]
    trace: tuple[TraceEntry, ...]
    ruleset_version: str
    ruleset_hash: str
    intended_use: str
    why_not: tuple[WhyNot, ...]
    withheld: tuple[Withheld, ...]
    # No cause has rule support: the differential lists only what must not be missed.
    under_documented: bool = False
