"""Turn a Case into flat facts, one per affected leg (a "unit"), as the rules see them.

A unit holds the case-level facts plus ``A_*`` (the affected leg's examination) and ``O_*``
(the other leg's). A unilateral foot drop gives one unit; a bilateral one gives two, each leg
in turn as the affected one. Absent facts are left out (absent = unknown). Two facts are
derived here because their inputs are separate fields: the estimated age at onset and the
compartment delta pressure (diastolic minus compartment pressure).
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable
from dataclasses import dataclass, fields
from enum import StrEnum
from operator import attrgetter
from typing import Any

from cdss import facts
from cdss.rulebase.compiler import UNIT_PROP
from cdss.rulebase.fact_types import member_property, property_name
from cdss.vocabulary import Leg, Side

Props = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Unit:
    """One affected leg (or, when no leg can be placed, the case alone: leg None)."""

    leg: Leg | None
    props: Props


def _accessors(prefix: str, cls: type) -> tuple[tuple[str, str, bool], ...]:
    """(field name, property name, is a set) for each field of a facts dataclass."""
    return tuple(
        (f.name, property_name(f"{prefix}.{f.name}"), f.type.startswith("frozenset"))
        for f in fields(cls)
    )


_SECTION_CLASSES = {
    "patient": facts.Patient,
    "presentation": facts.Presentation,
    "history": facts.History,
    "results": facts.Results,
}
# per prefix (A, O, general and the sections) and field name: its property, and if it is a set
_FIELDS = {
    prefix: {name: (prop, is_set) for name, prop, is_set in _accessors(prefix, cls)}
    for prefix, cls in (
        *_SECTION_CLASSES.items(),
        ("general", facts.GeneralExam),
        ("A", facts.LimbExam),
        ("O", facts.LimbExam),
    )
}


# How _put writes a field's value, decided from the field's type once (what _put_value asks
# of each value): as it is (yes/no, whole numbers), a float in plain decimals, an enum by its
# value, a set by its size and one property per member.
_PLAIN, _FLOAT, _ENUM, _SET = range(4)


@dataclass(frozen=True, slots=True)
class _Writer:
    """How to write one facts object (a section, the general or a leg's examination) as flat
    properties: all its values read at once (attrgetter), then per field its property and how
    the value is written."""

    values: Callable[[Any], tuple[Any, ...]]
    fields: tuple[tuple[str, int], ...]


def _how(annotation: Any) -> int:
    if typing.get_origin(annotation) is frozenset:
        return _SET
    inner = next((a for a in typing.get_args(annotation) if a is not type(None)), annotation)
    if inner is float:
        return _FLOAT
    return _ENUM if isinstance(inner, type) and issubclass(inner, StrEnum) else _PLAIN


def _writer(prefix: str, cls: type) -> _Writer:
    hints = typing.get_type_hints(cls)
    names = [f.name for f in fields(cls)]
    assert len(names) > 1, "attrgetter of one name returns the value, not a tuple"
    how = tuple((_FIELDS[prefix][name][0], _how(hints[name])) for name in names)
    return _Writer(attrgetter(*names), how)


_SECTIONS = tuple((section, _writer(section, cls)) for section, cls in _SECTION_CLASSES.items())
_GENERAL = _writer("general", facts.GeneralExam)
_LEG = {side: _writer(side, facts.LimbExam) for side in ("A", "O")}
# The case fields the derived facts of case_props are computed from, and the one that decides
# the affected legs when the side is not recorded (affected_legs): a what-if that changes one
# of them is evaluated from a rebuilt case, not by editing the flat facts.
DERIVED_FROM = frozenset(
    {
        "patient.age_years",
        "presentation.days_since_onset",
        "general.diastolic_bp_mmhg",
        "results.compartment_pressure_mmhg",
    }
)
LEG_DECIDING_FIELD = "ankle_dorsiflexion"


def plain_number(value: float) -> float:
    """A float durable-rules can parse: its JSON reader fails on exponent notation (5e-324,
    1e-05), so values are rounded to 4 decimals (validation keeps them below 1e7)."""
    return round(value, 4) + 0.0


def _put_value(out: Props, prop: str, is_set: bool, value: Any) -> None:
    if is_set:
        if value:
            out[prop] = len(value)
            for member in value:
                out[member_property(prop, member.value)] = True
    elif isinstance(value, float):
        out[prop] = plain_number(value)
    elif value is not None:
        out[prop] = value.value if hasattr(value, "value") else value


def _flat_value(value: Any) -> Any:
    """The property _put_value writes for a value that is not a set (None: none)."""
    if isinstance(value, float):
        return plain_number(value)
    if value is not None and hasattr(value, "value"):
        return value.value
    return value


def _put(out: Props, obj: Any, writer: _Writer) -> None:
    """Write each recorded value (most are None: not recorded) as _put_value would, by the
    field's writing decided at import rather than by asking each value what it is; an enum
    member's _value_ is its .value without the property's call (a Python frame each)."""
    for (prop, how), value in zip(writer.fields, writer.values(obj), strict=True):
        if value is None:
            continue
        if how == _PLAIN:
            out[prop] = value
        elif how == _ENUM:
            out[prop] = value._value_
        elif how == _FLOAT:
            out[prop] = plain_number(value) if isinstance(value, float) else value
        elif value:  # a set: its size and its members (empty: not examined, nothing written)
            out[prop] = len(value)
            for member in value:
                out[member_property(prop, member._value_)] = True


def field_change(prefix: str, name: str, old: Any, new: Any) -> Props:
    """The flat properties that change when one field (prefix A, O, general or a section
    name) goes from `old` to `new` (None: the property is no longer present), exactly as
    build_units would write them."""
    prop, is_set = _FIELDS[prefix][name]
    if not is_set:  # one property, written as _put_value writes it (the common case)
        was, now = _flat_value(old), _flat_value(new)
        return {} if was == now else {prop: now}
    before: Props = {}
    after: Props = {}
    _put_value(before, prop, is_set, old)
    _put_value(after, prop, is_set, new)
    return {k: after.get(k) for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def normalise_drug_name(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip().lower())


def affected_legs(case: facts.Case) -> list[Leg]:
    """The legs to evaluate as the affected one: from the side, else from the examination."""
    side = case.presentation.side
    if side == Side.SIDE_LEFT:
        return [Leg.LEG_LEFT]
    if side == Side.SIDE_RIGHT:
        return [Leg.LEG_RIGHT]
    if side == Side.SIDE_BILATERAL:
        return [Leg.LEG_LEFT, Leg.LEG_RIGHT]
    legs = ((Leg.LEG_LEFT, case.exam.left), (Leg.LEG_RIGHT, case.exam.right))
    return [
        leg
        for leg, exam in legs
        if exam is not None
        and (grade := getattr(exam, LEG_DECIDING_FIELD)) is not None
        and grade <= 4
    ]


def case_props(case: facts.Case, drug_names: frozenset[str]) -> Props:
    """The facts every unit shares (everything but the legs)."""
    out: Props = {}
    for section, writer in _SECTIONS:
        _put(out, getattr(case, section), writer)
    _put(out, case.exam.general, _GENERAL)
    age, days = case.patient.age_years, case.presentation.days_since_onset
    if age is not None and days is not None:
        out["patient_estimated_onset_age_years"] = plain_number(age - days / 365)
    diastolic = case.exam.general.diastolic_bp_mmhg
    pressure = case.results.compartment_pressure_mmhg
    if diastolic is not None and pressure is not None:
        out["results_compartment_delta_mmhg"] = plain_number(diastolic - pressure)
    for med in case.medications:
        name = normalise_drug_name(med.name)
        if name not in drug_names:
            continue
        out[property_name(f"medications.{name}.taken")] = True
        if med.days_since_start is None:
            continue
        days_prop = property_name(f"medications.{name}.days_since_start")
        # several entries of one drug: the earliest start (most days ago) counts
        started = max(out.get(days_prop, med.days_since_start), med.days_since_start)
        out[days_prop] = started
        if days is not None:
            out[property_name(f"medications.{name}.started_before_onset")] = started >= days
    return out


def build_units(case: facts.Case, drug_names: frozenset[str]) -> list[Unit]:
    shared = case_props(case, drug_names)
    legs = affected_legs(case)
    if not legs:
        return [Unit(None, {UNIT_PROP: 0, **shared})]
    units = []
    for i, leg in enumerate(legs):
        props: Props = {UNIT_PROP: i, **shared}
        affected, other = (
            (case.exam.left, case.exam.right)
            if leg == Leg.LEG_LEFT
            else (case.exam.right, case.exam.left)
        )
        if affected is not None:
            _put(props, affected, _LEG["A"])
        if other is not None:
            _put(props, other, _LEG["O"])
        units.append(Unit(leg, props))
    return units
