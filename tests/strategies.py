"""Hypothesis strategies for possible cases (every field present or absent at random)."""

from __future__ import annotations

import dataclasses
import typing
from enum import StrEnum
from typing import Any

from hypothesis import strategies as st

from cdss import case_fields, facts
from cdss.vocabulary import SensoryRegion

DRUGS = [
    "vincristine",
    "paclitaxel",
    "cisplatin",
    "interferon beta-1b",
    "metformin",
    "alemtuzumab",
    "warfarin",
    "clopidogrel",
]


def _range(cls: type, name: str) -> tuple[float, float]:
    """The possible range declared with the field in the .proto."""
    declared = case_fields.field_of(case_fields.message_named(cls.__name__), name)
    assert declared.low is not None and declared.high is not None, f"{name}: no declared range"
    return declared.low, declared.high


def _value(cls: type, name: str, annotation: Any, wild: bool = False) -> st.SearchStrategy[Any]:
    """A field's values: possible ones (within its declared range), or (wild) any value of its
    type."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) is frozenset:
        (member,) = typing.get_args(annotation)
        return st.frozensets(st.sampled_from(list(member)), max_size=4 if wild else 3)
    inner = args[0] if args else annotation
    if inner is bool:
        values: st.SearchStrategy[Any] = st.booleans()
    elif inner is int and wild:
        values = st.integers(-(2**31), 2**31 - 1) | st.integers(-2, 130)
    elif inner is int:
        low, high = _range(cls, name)
        values = st.integers(int(low), int(high))
    elif inner is float and wild:
        values = st.floats() | st.floats(-5, 400)
    elif inner is float:
        low, high = _range(cls, name)
        values = st.floats(low, high, allow_nan=False)
    elif isinstance(inner, type) and issubclass(inner, StrEnum):
        values = st.sampled_from(list(inner))
    else:
        raise TypeError(name)
    return st.none() | values


def dataclass_strategy(cls: type) -> st.SearchStrategy[Any]:
    hints = typing.get_type_hints(cls)
    return st.builds(
        cls, **{f.name: _value(cls, f.name, hints[f.name]) for f in dataclasses.fields(cls)}
    )


def _sensory(exam: facts.LimbExam) -> facts.LimbExam:
    # NONE (examined and normal) with a region of loss is refused by validation
    if SensoryRegion.SENSORY_REGION_NONE in exam.sensory_loss and len(exam.sensory_loss) > 1:
        return dataclasses.replace(
            exam, sensory_loss=exam.sensory_loss - {SensoryRegion.SENSORY_REGION_NONE}
        )
    return exam


limbs = st.none() | dataclass_strategy(facts.LimbExam).map(_sensory)
medications = st.lists(
    st.builds(facts.Medication, st.sampled_from(DRUGS), st.none() | st.integers(0, 400)), max_size=3
).map(tuple)


def agreeing(days: int, hours: float) -> float:
    """Hours since onset that agree with `days` (within the day) and stay within the declared
    range: at the largest day count, adding hours % 24 would overshoot the cap."""
    return min(days * 24 + hours % 24, _range(facts.Presentation, "hours_since_onset")[1])


@st.composite
def cases(draw: st.DrawFn) -> facts.Case:
    patient = draw(dataclass_strategy(facts.Patient))
    presentation = draw(dataclass_strategy(facts.Presentation))
    if patient.age_years is not None and presentation.days_since_onset is not None:
        presentation = dataclasses.replace(
            presentation,
            days_since_onset=min(presentation.days_since_onset, patient.age_years * 365),
        )
    hours, days = presentation.hours_since_onset, presentation.days_since_onset
    if hours is not None and days is not None:  # the two must agree (within a day)
        presentation = dataclasses.replace(presentation, hours_since_onset=agreeing(days, hours))
    return facts.Case(
        case_id=draw(st.from_regex(r"[a-z0-9-]{0,12}", fullmatch=True)),
        patient=patient,
        presentation=presentation,
        history=draw(dataclass_strategy(facts.History)),
        medications=draw(medications),
        exam=facts.Exam(
            left=draw(limbs), right=draw(limbs), general=draw(dataclass_strategy(facts.GeneralExam))
        ),
        results=draw(dataclass_strategy(facts.Results)),
    )


def wild_dataclass(cls: type) -> st.SearchStrategy[Any]:
    """Any value of each field's type, possible or not (for fuzzing the validator)."""
    hints = typing.get_type_hints(cls)
    return st.builds(
        cls,
        **{f.name: _value(cls, f.name, hints[f.name], wild=True) for f in dataclasses.fields(cls)},
    )


@st.composite
def wild_cases(draw: st.DrawFn) -> facts.Case:
    limb = st.none() | wild_dataclass(facts.LimbExam)
    meds = st.lists(
        st.builds(
            facts.Medication, st.text(max_size=120), st.none() | st.integers(-(2**31), 2**31 - 1)
        ),
        max_size=70,
    ).map(tuple)
    return facts.Case(
        case_id=draw(st.text(max_size=200)),
        patient=draw(wild_dataclass(facts.Patient)),
        presentation=draw(wild_dataclass(facts.Presentation)),
        history=draw(wild_dataclass(facts.History)),
        medications=draw(meds),
        exam=facts.Exam(
            left=draw(limb), right=draw(limb), general=draw(wild_dataclass(facts.GeneralExam))
        ),
        results=draw(wild_dataclass(facts.Results)),
    )
