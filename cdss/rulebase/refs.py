"""Typed references: what one condition leaf tests, decided once when the rule is parsed.

A leaf tests a case fact (``patient.age_years``, ``A.hip_abduction`` on the affected leg,
``O.hip_abduction`` on the other), a finding concluded by an earlier stratum (``F_UMN``,
``O.F_UMN``), a cause's certainty or rank, the close call between two leading causes, or a
drug (``medications.<drug>.<what>``). Code asks the reference (its kind, section, field, leg),
never the spelling of its name.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from enum import StrEnum

from cdss.vocabulary import CauseCategory


class RefKind(StrEnum):
    FACT = "fact"
    FINDING = "finding"
    CAUSE = "cause"  # field: "certainty" or "rank"
    CLOSE_CALL = "close call"
    DRUG = "drug"  # section "medications", field: taken, started_before_onset, ...


class LegRef(StrEnum):
    AFFECTED = "A"
    OTHER = "O"

    @property
    def mirrored(self) -> LegRef:
        return LegRef.OTHER if self is LegRef.AFFECTED else LegRef.AFFECTED


LEG_SECTIONS = {"A": LegRef.AFFECTED, "O": LegRef.OTHER}
CAUSE_KINDS = (RefKind.CAUSE, RefKind.CLOSE_CALL)


@dataclass(frozen=True, slots=True)
class Ref:
    """What a leaf tests; ``name`` is its spelling in rule files and in the trace."""

    kind: RefKind
    name: str
    section: str = ""  # the fact's section: A, O, patient, general, results, medications, ...
    field: str = ""  # the field, the finding (F_UMN), "certainty"/"rank" of a cause
    leg: LegRef | None = None  # which leg a leg fact or finding is about
    causes: tuple[CauseCategory, ...] = ()  # a cause's one, a close call's two
    drug: str = ""
    # derived from kind, stored: they are asked for every fact of every answer
    tests_causes: bool = dataclasses.field(init=False, compare=False)
    is_finding: bool = dataclasses.field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tests_causes", self.kind in CAUSE_KINDS)
        object.__setattr__(self, "is_finding", self.kind is RefKind.FINDING)

    def __hash__(self) -> int:  # the name determines the rest; cheap, and hashed per answer
        return hash(self.name)

    def mirrored(self) -> Ref:
        """The same reference with the affected and the other leg swapped."""
        if self.leg is None:
            return self
        leg = self.leg.mirrored
        if self.kind is RefKind.FINDING:
            name = self.field if leg is LegRef.AFFECTED else f"O.{self.field}"
            return Ref(self.kind, name, field=self.field, leg=leg)
        return Ref(self.kind, f"{leg.value}.{self.field}", leg.value, self.field, leg)


@functools.cache
def fact_ref(name: str) -> Ref:
    """A case fact by its catalogue name (section.field, or medications.<drug>.<what>).
    Cached: a Ref is immutable, and the answer asks for the same few names in every call."""
    section, _, rest = name.partition(".")
    if section == "medications":
        drug, _, what = rest.rpartition(".")
        return Ref(RefKind.DRUG, name, section, what, drug=drug)
    return Ref(RefKind.FACT, name, section, rest, LEG_SECTIONS.get(section))


def finding_ref(name: str) -> Ref:
    """F_X (the affected leg's finding) or O.F_X (the other leg's, from a mirror rule)."""
    other = is_other_leg(name)
    field = name.removeprefix("O.")
    return Ref(RefKind.FINDING, name, field=field, leg=LegRef.OTHER if other else LegRef.AFFECTED)


def is_other_leg(finding: str) -> bool:
    """Whether a finding name is the other leg's (O.F_X)."""
    return finding.startswith("O.")


def cause_ref(cause: CauseCategory, what: str) -> Ref:
    """A cause's certainty or rank, as set between strata."""
    return Ref(RefKind.CAUSE, f"cause {cause.value} {what}", field=what, causes=(cause,))


def close_call_ref(a: CauseCategory, b: CauseCategory) -> Ref:
    return Ref(RefKind.CLOSE_CALL, f"cause close call {a.value} vs {b.value}", causes=(a, b))


@functools.cache
def cause_property(cause: CauseCategory, what: str) -> str:
    """The property holding a cause's certainty (what="certainty") or rank (cached: asked for
    every cause in every evaluation)."""
    return f"{'c' if what == 'certainty' else 'rank'}_{cause.value}"


@functools.cache
def close_call_property(a: CauseCategory, b: CauseCategory) -> str:
    """The property set between strata when a and b lead the differential, unresolved."""
    first, second = sorted((a, b), key=list(CauseCategory).index)
    return f"close__{first.value}__{second.value}"
