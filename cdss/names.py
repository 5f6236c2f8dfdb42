"""Display names, built in this one place: enum values as words, causes, legs, and the names
of the facts a rule tested (as the trace shows them and as the rule catalogue reads them)."""

from __future__ import annotations

import functools

from cdss import case_fields
from cdss.rulebase.refs import LegRef, Ref, RefKind
from cdss.vocabulary import CauseCategory, Leg

LEG_NAME = {Leg.LEG_LEFT: "left", Leg.LEG_RIGHT: "right"}
OTHER_LEG = {Leg.LEG_LEFT: Leg.LEG_RIGHT, Leg.LEG_RIGHT: Leg.LEG_LEFT}
SECTIONS = {"A": "affected leg", "O": "other leg", "general": "general examination"}
PREFIXES = case_fields.value_prefixes()  # the prefixes a readable value drops
DRUG_FIELDS = {
    "taken": "taking {drug}",
    "days_since_start": "days since {drug} was started",
    "started_before_onset": "{drug} started before the onset",
}


def enum_words(name: str, prefix: str) -> str:
    """An enum member's name without its prefix, as lower-case words."""
    return name.removeprefix(prefix).replace("_", " ").lower()


def words(value: object) -> str:
    """An enum name as words (PLANTAR_EXTENSOR -> extensor); other values unchanged."""
    text = str(value)
    for prefix in PREFIXES:
        if text.startswith(prefix):
            return enum_words(text, prefix)
    return text


def cause_label(cause: CauseCategory) -> str:
    return enum_words(cause.value, "CAUSE_").replace("l5 ", "L5 ")


def legs_label(legs: list[Leg]) -> str:
    return "/".join(LEG_NAME[leg] for leg in legs)


@functools.lru_cache(maxsize=4096)
def trace_name(ref: Ref, leg: Leg | None) -> str:
    """The name of a tested fact in the answer: the case path of a leg fact on this leg
    (exam.left.hip_abduction), a finding with its leg, otherwise the rule file's name."""
    if ref.leg is None or leg is None:
        return f"finding {ref.name}" if ref.leg is LegRef.AFFECTED and ref.is_finding else ref.name
    side = leg if ref.leg is LegRef.AFFECTED else OTHER_LEG[leg]
    if ref.is_finding:
        return f"finding {ref.field} ({LEG_NAME[side]} leg)"
    return f"exam.{LEG_NAME[side]}.{ref.field}"


def fact_label(ref: Ref) -> str:
    """The name of a tested fact in the rule catalogue (affected leg: hip abduction)."""
    if ref.tests_causes:
        return ref.name
    if ref.is_finding:
        return f"finding {ref.field}" + (" (other leg)" if ref.leg is LegRef.OTHER else "")
    if ref.kind is RefKind.DRUG:
        text = DRUG_FIELDS.get(ref.field)
        return text.format(drug=ref.drug) if text else ref.name.partition(".")[2]
    return f"{SECTIONS.get(ref.section, ref.section)}: {ref.field.replace('_', ' ')}"


def case_path(ref: Ref, leg: Leg | None) -> str:
    """A fact as its case-format path (``A.x`` on the left leg is ``exam.left.x``, on no known
    leg ``exam.affected_leg.x``; ``general.x`` is ``exam.general.x``)."""
    if ref.leg is not None:
        if leg is None:
            return f"exam.{'affected' if ref.leg is LegRef.AFFECTED else 'other'}_leg.{ref.field}"
        side = leg if ref.leg is LegRef.AFFECTED else OTHER_LEG[leg]
        return f"exam.{LEG_NAME[side]}.{ref.field}"
    if ref.section == "general":
        return f"exam.{ref.name}"
    return ref.name
