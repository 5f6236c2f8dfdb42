"""The names of the case facts a rule may test, with their types.

Names are those of the clinical brief: ``A.<field>`` is the affected leg's examination,
``O.<field>`` the other leg's; ``history.``, ``presentation.``, ``patient.``, ``general.`` and
``results.`` follow the case format. A few facts are derived from two recorded values; their
formula is given here and in the rule catalogue. ``medications.<name>.taken`` and
``medications.<name>.days_since_start`` exist for every drug the rule base names.
The catalogue is built from the dataclasses in cdss.facts, so it cannot drift from them.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any, Literal

from cdss import case_fields, facts

Kind = Literal["bool", "int", "float", "enum", "set"]


@dataclass(frozen=True, slots=True)
class FactType:
    """One fact a rule can test: its name, kind, enum (for enum and set kinds) and unit."""

    name: str
    kind: Kind
    enum: type[StrEnum] | None = None
    unit: str = ""
    derived_from: str = ""  # the formula, for derived facts

    @property
    def prop(self) -> str:
        """The property name of this fact in the flat fact asserted into durable-rules."""
        return property_name(self.name)


def property_name(name: str) -> str:
    """Map a readable fact name to a durable-rules property (dots would mean nesting there)."""
    return name.replace(".", "_").replace("-", "_").replace(" ", "_")


def member_property(prop: str, member: str) -> str:
    """The boolean property that says a set-valued fact contains one member."""
    return f"{prop}__{member}"


def _kind_of(annotation: Any) -> tuple[Kind, type[StrEnum] | None]:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin is frozenset:
        (member,) = typing.get_args(annotation)
        return "set", member
    if origin in (typing.Union, types.UnionType) and len(args) == 1:
        (inner,) = args
        if inner is bool:
            return "bool", None
        if inner is int:
            return "int", None
        if inner is float:
            return "float", None
        if isinstance(inner, type) and issubclass(inner, StrEnum):
            return "enum", inner
    raise TypeError(f"unsupported fact annotation {annotation!r}")


def _from_dataclass(prefix: str, cls: type) -> list[FactType]:
    """The facts of one case message; units as declared with each field in the .proto."""
    hints = typing.get_type_hints(cls)
    declared = {f.name: f for f in case_fields.fields_of(case_fields.message_named(cls.__name__))}
    out = []
    for f in fields(cls):
        kind, enum = _kind_of(hints[f.name])
        out.append(FactType(f"{prefix}.{f.name}", kind, enum, declared[f.name].unit))
    return out


DERIVED: tuple[FactType, ...] = (
    FactType(
        "patient.estimated_onset_age_years",
        "float",
        unit="years",
        derived_from="patient.age_years - presentation.days_since_onset / 365",
    ),
    FactType(
        "results.compartment_delta_mmhg",
        "float",
        unit="mmHg",
        derived_from="general.diastolic_bp_mmhg - results.compartment_pressure_mmhg",
    ),
)


def base_fact_types() -> dict[str, FactType]:
    """Every case fact a rule can name, except the medications (see drug_fact_types)."""
    out: list[FactType] = []
    out += _from_dataclass("patient", facts.Patient)
    out += _from_dataclass("presentation", facts.Presentation)
    out += _from_dataclass("history", facts.History)
    out += _from_dataclass("A", facts.LimbExam)
    out += _from_dataclass("O", facts.LimbExam)
    out += _from_dataclass("general", facts.GeneralExam)
    out += _from_dataclass("results", facts.Results)
    out += DERIVED
    return {f.name: f for f in out}


def drug_fact_types(drug: str) -> list[FactType]:
    return [
        FactType(f"medications.{drug}.taken", "bool"),
        FactType(f"medications.{drug}.days_since_start", "int", unit="days"),
        FactType(
            f"medications.{drug}.started_before_onset",
            "bool",
            derived_from=f"medications.{drug}.days_since_start >= presentation.days_since_onset",
        ),
    ]
