"""Check that a case is possible before it reaches the engine.

Missing information is never an error here (absent = unknown). Impossible values are: every
offending field is listed in one CaseError, by its path in the case format.
"""

from __future__ import annotations

import math

from cdss.errors import CaseError, FieldViolation
from cdss.facts import MRC_FIELDS, Case, LimbExam
from cdss.vocabulary import SensoryRegion

MAX_CASE_ID = 128
MAX_MEDICATIONS = 64
MAX_DRUG_NAME = 100
MAX_DAYS = 120 * 366  # nothing in a case is older than the oldest patient
RANGES = {  # physiologically possible, deliberately wide: anything outside is a data error
    "exam.general.diastolic_bp_mmhg": (0.0, 300.0),
    "results.hba1c_percent": (2.0, 25.0),
    "results.ck_u_per_l": (0.0, 1_000_000.0),
    "results.compartment_pressure_mmhg": (0.0, 300.0),
}


def _number(out: list[FieldViolation], path: str, value: float | None) -> None:
    if value is None:
        return
    low, high = RANGES[path]
    if not math.isfinite(value):
        out.append(FieldViolation(path, f"must be a finite number, not {value}"))
    elif not low <= value <= high:
        out.append(
            FieldViolation(path, f"{value:g} is outside the possible range {low:g}-{high:g}")
        )


def _limb(out: list[FieldViolation], path: str, exam: LimbExam | None) -> None:
    if exam is None:
        return
    for name in MRC_FIELDS:
        grade = getattr(exam, name)
        if grade is not None and not 0 <= grade <= 5:
            out.append(FieldViolation(f"{path}.{name}", f"MRC grade must be 0-5, not {grade}"))
    if SensoryRegion.SENSORY_REGION_NONE in exam.sensory_loss and len(exam.sensory_loss) > 1:
        out.append(
            FieldViolation(
                f"{path}.sensory_loss",
                "SENSORY_REGION_NONE (examined and normal) cannot be combined with a "
                "region of loss",
            )
        )


def violations(case: Case) -> list[FieldViolation]:
    """Every impossible value in the case (empty when the case is possible)."""
    out: list[FieldViolation] = []
    if len(case.case_id) > MAX_CASE_ID:
        out.append(FieldViolation("case_id", f"longer than {MAX_CASE_ID} characters"))
    if any(not ch.isprintable() for ch in case.case_id):
        out.append(FieldViolation("case_id", "contains control characters"))
    age = case.patient.age_years
    if age is not None and not 0 <= age <= 120:
        out.append(FieldViolation("patient.age_years", f"must be 0-120, not {age}"))
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
    if len(case.medications) > MAX_MEDICATIONS:
        out.append(FieldViolation("medications", f"more than {MAX_MEDICATIONS} entries"))
    for i, med in enumerate(case.medications[:MAX_MEDICATIONS]):
        path = f"medications[{i}]"
        if not med.name.strip():
            out.append(FieldViolation(f"{path}.name", "must not be empty"))
        elif len(med.name) > MAX_DRUG_NAME or any(not ch.isprintable() for ch in med.name):
            out.append(
                FieldViolation(
                    f"{path}.name", "must be a generic drug name (printable, ≤ 100 characters)"
                )
            )
        start = med.days_since_start
        if start is not None and not 0 <= start <= MAX_DAYS:
            out.append(
                FieldViolation(f"{path}.days_since_start", f"must be 0-{MAX_DAYS}, not {start}")
            )
    _limb(out, "exam.left", case.exam.left)
    _limb(out, "exam.right", case.exam.right)
    _number(out, "exam.general.diastolic_bp_mmhg", case.exam.general.diastolic_bp_mmhg)
    _number(out, "results.hba1c_percent", case.results.hba1c_percent)
    _number(out, "results.ck_u_per_l", case.results.ck_u_per_l)
    _number(out, "results.compartment_pressure_mmhg", case.results.compartment_pressure_mmhg)
    return out


def validate(case: Case) -> None:
    """Raise CaseError listing every impossible value; return quietly for a possible case."""
    found = violations(case)
    if found:
        raise CaseError(found)
