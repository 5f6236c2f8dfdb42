"""Display names, in this one place: every contract code and case field in clinical words
(the tables of cdss/display_names.py), the facts of an answer as a clinician reads them, legs,
and the names of the facts a rule tested (as the trace shows them and as the rule catalogue
reads them). The report, the rule catalogue and the CDS Hooks cards all read labels here."""

from __future__ import annotations

import functools

from cdss import case_fields
from cdss.display_names import ENUM_LABELS, FIELD_LABELS, NEGATED
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
    return ENUM_LABELS[cause.value]


# each cause's label as an explanation starts a sentence with it (str.capitalize), built once
# here: the answer writes several per call
CAUSE_TITLES: dict[CauseCategory, str] = {c: cause_label(c).capitalize() for c in CauseCategory}


def display(code: str) -> str:
    """The clinical name of a contract code (``TEST_EMG_NCS`` -> "EMG and nerve conduction
    studies"); a code the contract does not have is shown as it is."""
    return ENUM_LABELS.get(code, code)


def capital(text: str) -> str:
    """The label at the start of a sentence (only the first letter changes: "MRI", "L5")."""
    return text[:1].upper() + text[1:]


_LEG_WORDS = {"left": "left", "right": "right", "affected_leg": "affected", "other_leg": "other"}
_SHORT_LEG = {"A": "affected", "O": "other"}


def _field_key(path: str) -> tuple[str, str]:
    """(leg word or "", the FIELD_LABELS key) of a case path or a rule's fact name:
    exam.left.x, exam.affected_leg.x, A.x and O.x are limb fields; exam.general.x and
    general.x the general examination; medications.<drug>.x a drug's field."""
    head, _, rest = path.partition(".")
    if head == "exam":
        side, _, name = rest.partition(".")
        if side == "general":
            return "", f"general.{name}"
        return _LEG_WORDS.get(side, side), f"limb.{name}"
    if head in _SHORT_LEG:
        return _SHORT_LEG[head], f"limb.{rest}"
    return "", path


def _lookup_path(key: str) -> str:
    """The case_fields path of a FIELD_LABELS key (for the field's kind and unit)."""
    if key.startswith("limb."):
        return "exam.left." + key.removeprefix("limb.")
    if key.startswith("general."):
        return "exam." + key
    return key


def field_name(path: str) -> str:
    """A field to record, in words with its leg ("ankle inversion (affected leg)")."""
    if path == "medications":
        return "the medication list (names and days since each was started)"
    leg, key = _field_key(path)
    label = FIELD_LABELS.get(key, path)
    return f"{label} ({leg} leg)" if leg else label


def _drug_fact(rest: str, value: str) -> str:
    drug, _, what = rest.rpartition(".")
    yes = value in ("true", "yes")
    if what == "taken":
        return f"taking {drug}" if yes else f"not taking {drug}"
    if what == "started_before_onset":
        return f"{drug} started before the onset" if yes else f"{drug} started after the onset"
    if what == "days_since_start":
        return f"{drug} started {value} days ago"
    return f"{drug}: {value}"


def _cause_fact(name: str, value: str) -> str:
    parts = name.split()
    if len(parts) == 3 and parts[2] == "certainty":
        return f"{display(parts[1])} at certainty {value}"
    if len(parts) == 3 and parts[2] == "rank":
        return f"{display(parts[1])} ranked {value}"
    if parts[1:3] == ["close", "call"] and len(parts) == 6:
        return f"{display(parts[3])} and {display(parts[5])} too close to call"
    return f"{name}: {value}"


def fact_text(name: str, value: str) -> str:
    """One matched fact of an answer in clinical words: ``exam.right.ankle_dorsiflexion = 1``
    is "right ankle dorsiflexion MRC 1", ``exam.left.sensory_loss = includes
    SENSORY_REGION_SOLE`` "left sensory loss over the sole", a yes/no field the finding
    itself ("tense compartment (left leg)") or its negation."""
    if name.startswith("cause "):
        return _cause_fact(name, value)
    if name.startswith("medications."):
        return _drug_fact(name.removeprefix("medications."), value)
    leg, key = _field_key(name)
    label = FIELD_LABELS.get(key)
    if label is None:  # a derived finding (the trace): its rule-base name
        return f"{name}: {value}"
    field = case_fields.by_path().get(_lookup_path(key))
    side = f" ({leg} leg)" if leg else ""
    before = f"{leg} " if leg else ""
    if value == "not recorded":
        return f"{before}{label} not recorded"
    if (field is not None and field.kind == "bool") or value in ("true", "false", "yes"):
        if value in ("true", "yes"):
            return f"{label}{side}"
        return f"{NEGATED.get(key, f'no {label}')}{side}"
    if value.startswith("includes "):
        return f"{before}{label} {display(value.removeprefix('includes '))}"
    if value.startswith("does not include "):
        return f"no {before}{label} {display(value.removeprefix('does not include '))}"
    if field is not None and field.mrc_grade:
        return f"{before}{label} MRC {value}"
    unit = ""
    if field is not None and field.numeric and field.unit and field.unit not in label:
        unit = f" {field.unit}"
    return f"{before}{label}: {display(value)}{unit}"


def legs_label(legs: list[Leg]) -> str:
    return "/".join(LEG_NAME[leg] for leg in legs)


@functools.lru_cache(maxsize=4096)
@functools.cache
def trace_name(ref: Ref, leg: Leg | None) -> str:
    """The name of a tested fact in the answer: the case path of a leg fact on this leg
    (exam.left.hip_abduction), a finding with its leg, otherwise the rule file's name.
    Cached: a rule base names a fixed set of facts, each asked for in every answer."""
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
    key = f"limb.{ref.field}" if ref.section in ("A", "O") else f"{ref.section}.{ref.field}"
    return f"{SECTIONS.get(ref.section, ref.section)}: {FIELD_LABELS.get(key, ref.name)}"


@functools.cache
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
