"""Check that a case is possible before it reaches the engine.

Missing information is never an error here (absent = unknown). Impossible values are: every
offending field is listed in one CaseError, by its path in the case format. The possible
range of each number is declared with the field in the .proto (cdss/case_fields.py); the
checks that relate two fields (onset against age, hours against days) are written here.
"""

from __future__ import annotations

import math
import typing
from dataclasses import dataclass
from typing import Any

from cdss import case_fields
from cdss.errors import CaseError, FieldViolation
from cdss.facts import Case, LimbExam
from cdss.vocabulary import SensoryRegion

MAX_CASE_ID = 128
MAX_MEDICATIONS = 64
MAX_DRUG_NAME = 100
MAX_DAYS = 120 * 366  # nothing in a case is older than the oldest patient
HOURS_SLACK = 1.0  # hours_since_onset / 24 and days_since_onset may differ by a day (rounding)
_CHECKED_HERE = {"presentation.days_since_onset"}  # ranges with a message of their own


def _number(out: list[FieldViolation], path: str, field: case_fields.CaseField, value: Any) -> None:
    low, high = field.low, field.high
    if value is None or low is None or high is None or path in _CHECKED_HERE:
        return
    if field.kind == "float" and not math.isfinite(value):
        out.append(FieldViolation(path, f"must be a finite number, not {value}"))
    elif low <= value <= high:
        return
    elif field.mrc_grade:
        out.append(FieldViolation(path, f"MRC grade must be 0-5, not {value}"))
    elif field.kind == "int":
        out.append(FieldViolation(path, f"must be {low:g}-{high:g}, not {value}"))
    else:
        out.append(
            FieldViolation(path, f"{value:g} is outside the possible range {low:g}-{high:g}")
        )


@dataclass(frozen=True, slots=True)
class _Check:
    """One field of a facts class that carries a range (sub None) or holds messages."""

    name: str
    field: case_fields.CaseField
    low: float
    high: float
    sub: tuple[_Check, ...] | None  # the checks of the message(s) the field holds


def _checks(cls: type) -> tuple[_Check, ...]:
    """The fields of one facts class that carry a range or hold messages, in declared order
    (built at import: a case is checked without looking its fields up)."""
    hints = typing.get_type_hints(cls)
    declared = case_fields.fields_of(case_fields.message_named(cls.__name__))
    found = []
    for field in declared:
        if field.numeric and field.low is not None and field.high is not None:
            found.append(_Check(field.name, field, field.low, field.high, None))
        elif field.kind in ("message", "messages"):
            annotation = hints[field.name]
            args = [a for a in typing.get_args(annotation) if a not in (type(None), Ellipsis)]
            found.append(_Check(field.name, field, 0, 0, _checks(args[0] if args else annotation)))
    return tuple(found)


_CASE_CHECKS = _checks(Case)


def _ranges(out: list[FieldViolation], obj: Any, path: str, checks: tuple[_Check, ...]) -> None:
    """Every declared range below one facts object (a message), by the fields' paths."""
    for check in checks:
        value = getattr(obj, check.name)
        if value is None:
            continue  # not recorded: nothing to check
        sub = check.sub
        if sub is None:
            if check.low <= value <= check.high:
                continue  # possible (NaN is never within a range): no path to spell out
            _number(out, f"{path}.{check.name}" if path else check.name, check.field, value)
            continue
        here = f"{path}.{check.name}" if path else check.name
        if check.field.kind == "message":
            _ranges(out, value, here, sub)
        else:
            for i, item in enumerate(value[:MAX_MEDICATIONS]):
                _ranges(out, item, f"{here}[{i}]", sub)


def _limb(out: list[FieldViolation], path: str, exam: LimbExam | None) -> None:
    if exam is None:
        return
    if SensoryRegion.SENSORY_REGION_NONE in exam.sensory_loss and len(exam.sensory_loss) > 1:
        out.append(
            FieldViolation(
                f"{path}.sensory_loss",
                "SENSORY_REGION_NONE (examined and normal) cannot be combined with a "
                "region of loss",
            )
        )


def _onset(out: list[FieldViolation], case: Case) -> None:
    age = case.patient.age_years
    days = case.presentation.days_since_onset
    if days is not None:
        if days < 0:
            out.append(
                FieldViolation("presentation.days_since_onset", f"cannot be negative ({days})")
            )
        elif days > MAX_DAYS or (age is not None and 0 <= age <= 120 and days > (age + 1) * 366):
            out.append(
                FieldViolation(
                    "presentation.days_since_onset",
                    f"{days} days is longer than the patient's life",
                )
            )
    hours = case.presentation.hours_since_onset
    if (
        hours is not None
        and days is not None
        and math.isfinite(hours)
        and abs(hours / 24 - days) > HOURS_SLACK
    ):
        out.append(
            FieldViolation(
                "presentation.hours_since_onset",
                f"{hours:g} hours disagrees with days_since_onset = {days}",
            )
        )


def violations(case: Case) -> list[FieldViolation]:
    """Every impossible value in the case (empty when the case is possible)."""
    out: list[FieldViolation] = []
    if len(case.case_id) > MAX_CASE_ID:
        out.append(FieldViolation("case_id", f"longer than {MAX_CASE_ID} characters"))
    if not case.case_id.isprintable():
        out.append(FieldViolation("case_id", "contains control characters"))
    _onset(out, case)
    if len(case.medications) > MAX_MEDICATIONS:
        out.append(FieldViolation("medications", f"more than {MAX_MEDICATIONS} entries"))
    for i, med in enumerate(case.medications[:MAX_MEDICATIONS]):
        path = f"medications[{i}]"
        if not med.name.strip():
            out.append(FieldViolation(f"{path}.name", "must not be empty"))
        elif len(med.name) > MAX_DRUG_NAME or not med.name.isprintable():
            out.append(
                FieldViolation(
                    f"{path}.name", "must be a generic drug name (printable, ≤ 100 characters)"
                )
            )
    _limb(out, "exam.left", case.exam.left)
    _limb(out, "exam.right", case.exam.right)
    _ranges(out, case, "", _CASE_CHECKS)
    return out


def validate(case: Case) -> None:
    """Raise CaseError listing every impossible value; return quietly for a possible case."""
    found = violations(case)
    if found:
        raise CaseError(found)
