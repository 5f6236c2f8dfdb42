"""Every case field as declared in protos/cdss/v1/case.proto: the one place a field is defined.

A field's name, type, possible range, unit, MRC grading and what-if probe values are written
once, in the .proto (with the options of field_options.proto). This module reads them from the
generated descriptors, and everything else follows from it: the typed facts
(cdss/_proto/case_facts.py, generated from the same declarations), validation ranges, the
fact units of the rule catalogue, the what-if probes, the test strategies and
docs/case-format.md. Adding a yes/no field therefore means adding it to the .proto (and
running `make proto`) and nothing else.

It depends on the generated protobuf modules only, so the code generator can use it too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from google.protobuf.descriptor import Descriptor, EnumDescriptor, FieldDescriptor

from cdss._proto import case_pb2, decision_pb2, field_options_pb2

Kind = Literal["bool", "int", "float", "string", "enum", "set", "message", "messages"]
MRC_RANGE = (0.0, 5.0)
MRC_UNIT = "MRC grade 0-5"
# The enums whose value names can stand in a rule's conditions or conclusions.
DECISION_ENUMS = ("CauseCategory", "Urgency", "TestKind", "TreatmentKind", "AlertKind")
_SPEC: Any = field_options_pb2.spec  # the generated stubs type extensions loosely
_PROBE: Any = field_options_pb2.probe
_CASE: Any = case_pb2.Case.DESCRIPTOR


@dataclass(frozen=True, slots=True)
class CaseField:
    """One field of a case message, with what its declaration says about it."""

    name: str
    kind: Kind
    enum: EnumDescriptor | None = None  # for enum and set kinds
    message: Descriptor | None = None  # for message kinds
    low: float | None = None  # the possible range (inclusive); None where unbounded
    high: float | None = None
    unit: str = ""
    mrc_grade: bool = False
    optional: bool = False  # proto3 `optional`: absence is "not recorded"
    absent_is_unexamined: bool = False

    @property
    def numeric(self) -> bool:
        return self.kind in ("int", "float")


_SCALARS: dict[int, Kind] = {
    FieldDescriptor.TYPE_BOOL: "bool",
    FieldDescriptor.TYPE_INT32: "int",
    FieldDescriptor.TYPE_INT64: "int",
    FieldDescriptor.TYPE_DOUBLE: "float",
    FieldDescriptor.TYPE_FLOAT: "float",
    FieldDescriptor.TYPE_STRING: "string",
}


def _kind(fd: FieldDescriptor) -> Kind:
    if fd.message_type is not None:
        return "messages" if fd.is_repeated else "message"
    if fd.enum_type is not None:
        return "set" if fd.is_repeated else "enum"
    kind = _SCALARS.get(fd.type)
    if kind is None or fd.is_repeated:
        raise TypeError(f"{fd.full_name}: field type {fd.type} has no reading in the case facts")
    return kind


def _field(fd: FieldDescriptor) -> CaseField:
    spec: Any = fd.GetOptions().Extensions[_SPEC]
    low = spec.min if spec.HasField("min") else None
    high = spec.max if spec.HasField("max") else None
    if spec.mrc_grade:
        low, high = MRC_RANGE
    return CaseField(
        name=fd.name,
        kind=_kind(fd),
        enum=fd.enum_type,
        message=fd.message_type,
        low=low,
        high=high,
        unit=MRC_UNIT if spec.mrc_grade else spec.unit,
        mrc_grade=spec.mrc_grade,
        optional=fd.has_presence and fd.message_type is None,
        absent_is_unexamined=spec.absent_is_unexamined,
    )


@cache
def fields_of(message: Descriptor) -> tuple[CaseField, ...]:
    """The fields of one case message, in declaration order."""
    return tuple(_field(fd) for fd in message.fields)


def field_of(message: Descriptor, name: str) -> CaseField:
    return next(f for f in fields_of(message) if f.name == name)


def message_named(name: str) -> Descriptor:
    """The descriptor of a case message by its name (the facts dataclass of the same name)."""
    descriptor: Descriptor = case_pb2.DESCRIPTOR.message_types_by_name[name]
    return descriptor


def walk(message: Descriptor = _CASE, prefix: str = "") -> Iterator[tuple[str, CaseField]]:
    """(path, field) for every field below a message, depth first; repeated messages as
    ``medications[]``. Paths are the contract's (``exam.left.ankle_dorsiflexion``)."""
    for f in fields_of(message):
        path = f"{prefix}{f.name}"
        yield path, f
        if f.message is not None:
            yield from walk(f.message, f"{path}[]." if f.kind == "messages" else f"{path}.")


@cache
def by_path() -> dict[str, CaseField]:
    return dict(walk())


def enum_names(enum: EnumDescriptor) -> tuple[str, ...]:
    """The values of an enum that mean something (all but ``_UNSPECIFIED`` = 0)."""
    return tuple(v.name for v in enum.values if v.number != 0)


def probe_names(enum: EnumDescriptor) -> tuple[str, ...]:
    """The values marked ``[(probe) = true]``: representative answers for the what-ifs."""
    return tuple(v.name for v in enum.values if v.GetOptions().Extensions[_PROBE])


def enum_prefix(enum: EnumDescriptor) -> str:
    """The buf-style prefix of an enum's values (``PAIN_SITE_`` for PainSite)."""
    return enum.values_by_number[0].name.removesuffix("UNSPECIFIED")


def contract_enums() -> tuple[EnumDescriptor, ...]:
    """Every enum of the contract: the case's, then the answer's, in file order."""
    files = (case_pb2.DESCRIPTOR, decision_pb2.DESCRIPTOR)
    return tuple(e for f in files for e in f.enum_types_by_name.values())


def value_prefixes() -> tuple[str, ...]:
    """The prefixes that a readable value drops (the case enums and the answer enums a rule
    names), longest first so that ``PAIN_SITE_`` wins over ``PAIN_``."""
    case_enums = case_pb2.DESCRIPTOR.enum_types_by_name.values()
    answer = (decision_pb2.DESCRIPTOR.enum_types_by_name[n] for n in DECISION_ENUMS)
    prefixes = {enum_prefix(e) for e in (*case_enums, *answer)}
    return tuple(sorted(prefixes, key=lambda p: (-len(p), p)))
