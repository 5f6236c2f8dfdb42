"""`python -m cdss new-case`: the questions that matter for a foot drop, asked in the terminal,
written as a valid case file (docs/case-format.md).

The questions follow the presentation: the side and the onset first (the time since onset
for a sudden or acute one: the stroke window), then the red-flag items, then, for each
affected leg, the key muscles (MRC 0-5), reflexes, plantar response and sensory loss. Every
prompt is a field's display name from cdss.names; every answer is checked as it is typed
(a range, a choice, yes/no) and asked again when it is not one; a blank answer leaves the
field unrecorded (unknown, never normal). The case is then converted and validated as the
server would, and written only when it is valid.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from google.protobuf import json_format

from cdss import case_fields
from cdss.case_json import parse_case
from cdss.convert import case_from_proto
from cdss.display_names import FIELD_LABELS
from cdss.names import capital, display
from cdss.validation import validate

Ask = Callable[[str], str]
Say = Callable[[str], None]

PRESENTATION = ("presentation.side", "presentation.onset")
TIMING = {
    "ONSET_SUDDEN": ("presentation.hours_since_onset",),
    "ONSET_ACUTE": ("presentation.hours_since_onset", "presentation.days_since_onset"),
}
COURSE = ("presentation.days_since_onset", "presentation.course", "presentation.pain")
PATIENT = ("patient.age_years", "patient.sex")
RED_FLAGS = (
    "history.bladder_or_bowel_dysfunction",
    "history.saddle_anaesthesia",
    "history.anticoagulated",
    "history.antiplatelet",
    "history.lower_leg_trauma",
    "history.head_injury",
    "history.neck_injury",
    "history.recent_spine_surgery",
    "history.neuraxial_procedure",
    "history.fever",
    "history.low_back_pain",
    "exam.general.upper_limb_weakness",
    "exam.general.facial_weakness",
    "exam.general.dysarthria",
    "exam.general.sensory_level",
)
LEG = (
    "ankle_dorsiflexion",
    "ankle_eversion",
    "ankle_inversion",
    "ankle_plantarflexion",
    "toe_extension",
    "hip_abduction",
    "ankle_reflex",
    "knee_reflex",
    "plantar_response",
    "tone",
    "sensory_loss",
    "compartment_tense",
    "pain_on_passive_stretch",
    "foot_pulses_absent",
    "limb_cold_or_pale",
)
LEGS = {"SIDE_LEFT": ("left",), "SIDE_RIGHT": ("right",), "SIDE_BILATERAL": ("left", "right")}


@dataclass(frozen=True, slots=True)
class Question:
    path: str  # the case path, e.g. exam.left.ankle_dorsiflexion
    label: str
    field: case_fields.CaseField

    @property
    def choices(self) -> tuple[str, ...]:
        enum = self.field.enum
        return case_fields.enum_names(enum) if enum is not None else ()


def question(path: str) -> Question:
    """The question for a case path, worded by its display name."""
    field = case_fields.by_path()[path]
    head, _, rest = path.partition(".")
    if head == "exam":
        side, _, name = rest.partition(".")
        key = f"general.{name}" if side == "general" else f"limb.{name}"
        label = FIELD_LABELS[key] if side == "general" else f"{side} {FIELD_LABELS[key]}"
    else:
        label = FIELD_LABELS[path]
    return Question(path, label, field)


class Invalid(ValueError):
    """An answer that is not one the question allows (the message says what is)."""


def parse_answer(q: Question, text: str) -> Any:
    """The answer as the case JSON holds it; None for blank (not recorded); Invalid else."""
    text = text.strip()
    if not text:
        return None
    f = q.field
    if f.kind == "bool":
        if text.lower() in ("y", "yes"):
            return True
        if text.lower() in ("n", "no"):
            return False
        raise Invalid("answer y or n (blank: not recorded)")
    if f.kind in ("enum", "set"):
        picked = []
        for part in text.replace(",", " ").split():
            if not part.isdigit() or not 1 <= int(part) <= len(q.choices):
                raise Invalid(f"answer a number 1-{len(q.choices)} (blank: not recorded)")
            picked.append(q.choices[int(part) - 1])
        if f.kind == "enum" and len(picked) != 1:
            raise Invalid("answer one number")
        return picked if f.kind == "set" else picked[0]
    try:
        number = float(text)
    except ValueError:
        raise Invalid(f"answer a number{_range(f)}") from None
    if f.kind == "int" and not number.is_integer():
        raise Invalid(f"answer a whole number{_range(f)}")
    if (f.low is not None and number < f.low) or (f.high is not None and number > f.high):
        raise Invalid(f"answer a number{_range(f)}")
    return int(number) if f.kind == "int" else number


def _range(f: case_fields.CaseField) -> str:
    if f.low is None or f.high is None:
        return ""
    unit = "" if f.mrc_grade else f" {f.unit}" if f.unit else ""
    return f" from {f.low:g} to {f.high:g}{unit}"


def prompt(q: Question) -> str:
    f = q.field
    if f.kind == "bool":
        return f"{capital(q.label)}? [y/n, blank: not recorded] "
    if f.kind in ("enum", "set"):
        options = "  ".join(f"{i}) {display(c)}" for i, c in enumerate(q.choices, 1))
        many = " (one or more, e.g. 1 3)" if f.kind == "set" else ""
        return f"{capital(q.label)}{many}: {options} [blank: not recorded] "
    scale = "MRC 0-5" if f.mrc_grade else f.unit
    scale = f" ({scale})" if scale and scale not in q.label else ""
    return f"{capital(q.label)}{scale}? [blank: not recorded] "


def ask_one(q: Question, ask: Ask, say: Say) -> Any:
    while True:
        try:
            return parse_answer(q, ask(prompt(q)))
        except Invalid as exc:
            say(f"  {exc}")


def _put(case: dict[str, Any], path: str, value: Any) -> None:
    *parents, name = path.split(".")
    node = case
    for part in parents:
        node = node.setdefault(part, {})
    node[name] = value


def interview(ask: Ask, say: Say) -> dict[str, Any]:
    """Ask the questions; the case as the contract's JSON (only what was answered)."""
    case: dict[str, Any] = {}
    answers: dict[str, Any] = {}

    def ask_all(paths: tuple[str, ...]) -> None:
        for path in paths:
            if path in answers:
                continue
            answers[path] = value = ask_one(question(path), ask, say)
            if value is not None:
                _put(case, path, value)

    say("New foot-drop case: blank answers are left unrecorded (unknown, never normal).")
    say("\nThe presentation")
    ask_all(PRESENTATION)
    ask_all(TIMING.get(answers.get("presentation.onset") or "", ()))
    ask_all(COURSE + PATIENT)
    say("\nRed flags")
    ask_all(RED_FLAGS)
    for leg in LEGS.get(answers.get("presentation.side") or "", ("left", "right")):
        say(f"\nThe {leg} leg")
        ask_all(tuple(f"exam.{leg}.{name}" for name in LEG))
    return case


def checked(case: dict[str, Any]) -> str:
    """The case as JSON text, after the checks the server makes (CaseError otherwise)."""
    text = json.dumps(case, indent=2)
    message = parse_case(text)
    validate(case_from_proto(message))
    return json_format.MessageToJson(message, preserving_proto_field_name=True, indent=2) + "\n"


def write_case(case: dict[str, Any], path: Path) -> None:
    path.write_text(checked(case), encoding="utf-8")
