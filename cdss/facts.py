"""Typed, immutable facts of one patient case: the only input the engine accepts.

The dataclasses are generated from protos/cdss/v1/case.proto (cdss/_proto/case_facts.py, by
`make proto`), so a case field is declared once, in the .proto; cdss/case_fields.py reads what
the declaration says about it (range, unit, MRC grading, what-if probes).

``None`` means "not examined / not known" throughout, never "normal" or "false"; an empty
``sensory_loss`` means sensation was not examined (``SENSORY_REGION_NONE`` records a normal
examination). Field names are those of the case-format contract.
"""

from __future__ import annotations

from dataclasses import fields

from cdss._proto.case_facts import (
    MRC_FIELDS,
    Case,
    Exam,
    GeneralExam,
    History,
    LimbExam,
    Medication,
    Patient,
    Presentation,
    Results,
)

__all__ = [
    "MRC_FIELDS",
    "Case",
    "Exam",
    "GeneralExam",
    "History",
    "LimbExam",
    "Medication",
    "Patient",
    "Presentation",
    "Results",
    "field_names",
]


def field_names(cls: type) -> tuple[str, ...]:
    """The field names of one of the dataclasses above, in declaration order."""
    return tuple(f.name for f in fields(cls))
