"""Conversion between protobuf messages and plain facts/decisions (used by the servicer only).

Case messages are read generically: every field of the facts dataclasses is looked up by
name in the message descriptor (once, at import: _plan), so a new contract field needs one
dataclass field and nothing here. Unknown enum numbers (proto3 keeps them) and "unspecified"
entries in repeated enums are collected as field violations instead of being guessed at.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from cdss import facts
from cdss._proto import case_pb2, foot_drop_service_pb2
from cdss.decision import (
    Alert,
    Decision,
    Detail,
    FactValue,
    InformationRequest,
    RankedCause,
    RuleRef,
    SuggestedTest,
    SuggestedTreatment,
    TraceEntry,
    WhyNot,
    Withheld,
)
from cdss.errors import CaseError, ContractMismatch, FieldViolation


@dataclass(frozen=True, slots=True)
class _Step:
    """How to read one field that is not a plain scalar (an enum or a message)."""

    index: int  # the slot it is read into
    name: str
    kind: str  # "enum", "enums" (repeated), "message", "messages" (repeated)
    enum_name: str = ""
    members: dict[int, StrEnum] | None = None  # known non-zero enum numbers
    sub: _Plan | None = None  # how to read a message field


@dataclass(frozen=True, slots=True)
class _Plan:
    """How to read one message into its facts dataclass, keyed by field descriptor: ListFields
    hands back the descriptor objects themselves, so a field is found without its name.

    The instance is made without the frozen dataclass's __init__, which sets every field
    through object.__setattr__ (45 in History, most of the time a case took to read): its slots
    are set directly (_maker), each to the value read or to the field's default."""

    cls: type
    scalars: dict[FieldDescriptor, int]  # copied as they are, into this slot
    steps: dict[FieldDescriptor, _Step]
    defaults: tuple[Any, ...]  # per slot; _FACTORY where the default is made by a factory
    factories: tuple[tuple[int, Callable[[], Any]], ...]
    make: Callable[[list[Any]], Any]  # the instance from one value per slot (_maker)


_FACTORY = object()  # in _Plan.defaults: the field's default is made by its factory


def _maker(cls: type) -> Callable[[list[Any]], Any]:
    """A function that makes an instance of a slotted facts dataclass from one value per field
    (in field order), setting each slot through its member descriptor: one straight line of
    calls, compiled once per class (a loop over the fields costs as much as __init__)."""
    if hasattr(cls, "__post_init__") or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__}: facts are made from their slots, without __init__")
    env: dict[str, Any] = {"new": object.__new__, "cls": cls}
    lines = ["def make(values):", "    obj = new(cls)"]
    for i, f in enumerate(dataclasses.fields(cls)):
        env[f"set{i}"] = getattr(cls, f.name).__set__
        lines.append(f"    set{i}(obj, values[{i}])")
    lines.append("    return obj")
    exec("\n".join(lines), env)  # noqa: S102 - source built from the field count, no input text
    make: Callable[[list[Any]], Any] = env["make"]
    return make


def _plan(cls: type, descriptor: Any) -> _Plan:
    """The plan of one dataclass and the message it is read from (the messages below it too);
    built at import, so a stale contract fails when the module loads."""
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    unread = [f.name for f in descriptor.fields if f.name not in known]
    if unread:  # the facts are generated from the .proto: they are stale (run `make proto`)
        raise ContractMismatch(f"{descriptor.full_name}: no fact reads {', '.join(unread)}")
    scalars: dict[FieldDescriptor, int] = {}
    steps: dict[FieldDescriptor, _Step] = {}
    fields = dataclasses.fields(cls)
    for index, f in enumerate(fields):
        field = descriptor.fields_by_name[f.name]
        annotation = hints[f.name]
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if field.message_type is not None:
            sub = facts.Medication if f.name == "medications" else (args[0] if args else annotation)
            kind = "messages" if field.is_repeated else "message"
            steps[field] = _Step(index, f.name, kind, sub=_plan(sub, field.message_type))
        elif field.enum_type is not None:
            enum = next(
                a
                for a in (annotation, *args, *typing.get_args(args[0] if args else annotation))
                if isinstance(a, type) and issubclass(a, StrEnum)
            )
            members = {v.number: enum(v.name) for v in field.enum_type.values if v.number != 0}
            kind = "enums" if field.is_repeated else "enum"
            steps[field] = _Step(index, f.name, kind, field.enum_type.name, members)
        else:
            scalars[field] = index
    factories = tuple(
        (i, f.default_factory)
        for i, f in enumerate(fields)
        if f.default_factory is not dataclasses.MISSING
    )
    defaults = tuple(
        _FACTORY if f.default_factory is not dataclasses.MISSING else f.default for f in fields
    )
    return _Plan(cls, scalars, steps, defaults, factories, _maker(cls))


_CASE_PLAN = _plan(facts.Case, case_pb2.Case.DESCRIPTOR)


def _enum(step: _Step, number: int, path: str, out: list[FieldViolation]) -> StrEnum | None:
    assert step.members is not None
    member = step.members.get(number)
    if member is None:
        reason = "unspecified (0) is not a value" if number == 0 else f"unknown enum value {number}"
        out.append(FieldViolation(path, f"{reason} for {step.enum_name}"))
    return member


def _enums(step: _Step, numbers: Any, path: str, out: list[FieldViolation]) -> frozenset[Any]:
    """A repeated enum as a set; only when a number is not a value is each one looked at."""
    assert step.members is not None
    found = frozenset(map(step.members.get, numbers))
    if None not in found:
        return found
    members = (_enum(step, n, f"{path}[{i}]", out) for i, n in enumerate(numbers))
    return frozenset(m for m in members if m is not None)


def _read(plan: _Plan, msg: Message, path: str, out: list[FieldViolation]) -> Any:
    """Only the fields that are set are read; the dataclass defaults stand for the rest."""
    scalars = plan.scalars
    values = list(plan.defaults)
    for field, value in msg.ListFields():
        index = scalars.get(field)
        if index is not None:
            values[index] = value
            continue
        step = plan.steps[field]
        kind = step.kind
        if kind == "enum":
            assert step.members is not None
            member = step.members.get(value)
            if member is None:  # a violation: only then is the field's path spelled out
                member = _enum(step, value, f"{path}.{step.name}" if path else step.name, out)
            values[step.index] = member
            continue
        here = f"{path}.{step.name}" if path else step.name
        if kind == "enums":
            values[step.index] = _enums(step, value, here, out)
        elif kind == "message":
            assert step.sub is not None
            values[step.index] = _read(step.sub, value, here, out)
        else:
            assert step.sub is not None
            sub = step.sub
            values[step.index] = tuple(
                _read(sub, m, f"{here}[{i}]", out) for i, m in enumerate(value)
            )
    for index, factory in plan.factories:
        if values[index] is _FACTORY:
            values[index] = factory()
    return plan.make(values)


def case_from_proto(msg: case_pb2.Case) -> facts.Case:
    """Read a Case message; raise CaseError naming every field that cannot be read."""
    out: list[FieldViolation] = []
    case = _read(_CASE_PLAN, msg, "", out)
    if out:
        raise CaseError(out)
    assert isinstance(case, facts.Case)
    return case


def detail_from_proto(request: foot_drop_service_pb2.EvaluateRequest) -> Detail:
    """The request's detail level (unset: STANDARD); an unknown number is a field violation."""
    number = int(request.detail)
    if number == 0:
        return Detail.STANDARD
    try:
        return Detail(number)
    except ValueError:
        raise CaseError(
            [FieldViolation("detail", f"unknown enum value {number} for Detail")]
        ) from None


# ---- decision -> response -----------------------------------------------------------------

# The response is made by one constructor call from nested dicts: upb builds every item in C,
# in place, which costs half as much as adding the items one by one (and a third of building
# item messages and copying them in). A repeated field is passed only when it holds something:
# an empty one costs as much as a short one (its container is made). Enum fields take the
# vocabulary members themselves: a StrEnum member is its value's name, as the field wants.

Fields = dict[str, Any]


def _facts(values: tuple[FactValue, ...]) -> list[Fields]:
    return [{"name": name, "value": value} for name, value in values]


def _filled(item: Fields, repeated: Fields) -> Fields:
    """`item` with those of its repeated fields that have entries: an empty one passed to the
    constructor costs as much as a short one, and leaves the message the same."""
    for name, value in repeated.items():
        if value:
            item[name] = value
    return item


def _ref(r: RuleRef) -> Fields:
    item: Fields = {"rule_id": r.rule_id, "title": r.title, "leg": r.leg, "weight": r.weight}
    return _filled(item, {"facts": _facts(r.facts)})


def _alert(a: Alert) -> Fields:
    item: Fields = {"kind": a.kind, "urgency": a.urgency, "summary": a.summary, "action": a.action}
    return _filled(
        item, {"rule_ids": a.rule_ids, "withdrawn_by": a.withdrawn_by, "facts": _facts(a.facts)}
    )


def _cause(c: RankedCause) -> Fields:
    item: Fields = {
        "category": c.category,
        "group": c.group,
        "certainty": c.certainty,
        "likelihood": c.likelihood,
        "explanation": c.explanation,
        "rank": c.rank,
    }
    if c.supporting:  # the rule ids and facts are those of the supporting rules
        item["rule_ids"] = c.rule_ids
        item["supporting"] = [_ref(r) for r in c.supporting]
        _filled(item, {"facts": _facts(c.facts)})
    return _filled(item, {"against": [_ref(r) for r in c.against]})


def _test(t: SuggestedTest) -> Fields:
    item: Fields = {
        "test": t.test,
        "urgency": t.urgency,
        "explanation": t.explanation,
        "timing": t.timing,
        "earliest_day_after_onset": t.earliest_day_after_onset,  # None leaves it unset
    }
    return _filled(item, {"rule_ids": t.rule_ids, "facts": _facts(t.facts)})


def _treatment(t: SuggestedTreatment) -> Fields:
    item: Fields = {"treatment": t.treatment, "explanation": t.explanation}
    return _filled(
        item, {"rule_ids": t.rule_ids, "for_causes": t.for_causes, "facts": _facts(t.facts)}
    )


def _request(r: InformationRequest) -> Fields:
    item: Fields = {
        "question": r.question,
        "reason": r.reason,
        "urgency": r.urgency,
        "expected_change": r.expected_change,
    }
    return _filled(item, {"fields": r.fields, "separates": r.separates, "rule_ids": r.rule_ids})


def _trace(e: TraceEntry) -> Fields:
    item: Fields = {
        "rule_id": e.rule_id,
        "rule_version": e.rule_version,
        "title": e.title,
        "stratum": e.stratum,
        "leg": e.leg,
    }
    return _filled(item, {"conclusions": e.conclusions, "facts": _facts(e.facts)})


def _why_not(w: WhyNot) -> Fields:
    item: Fields = {"category": w.category, "certainty": w.certainty, "explanation": w.explanation}
    return _filled(item, {"against": [_ref(r) for r in w.against]})


def _withheld(h: Withheld) -> Fields:
    return _filled({"item": h.item, "reason": h.reason}, {"rule_ids": h.rule_ids})


def response_from_decision(d: Decision) -> foot_drop_service_pb2.EvaluateResponse:
    """The response message for a decision (enum fields are set by their names)."""
    fields: Fields = {
        "case_id": d.case_id,
        "intended_use": d.intended_use,
        "ruleset_version": {"version": d.ruleset_version, "content_hash": d.ruleset_hash},
        "under_documented": d.under_documented,
    }
    _filled(
        fields,
        {
            "not_assessed": d.not_assessed,
            "conflicts": d.conflicts,
            "alerts": [_alert(a) for a in d.alerts],
            "causes": [_cause(c) for c in d.causes],
            "tests": [_test(t) for t in d.tests],
            "treatments": [_treatment(t) for t in d.treatments],
            "requests": [_request(r) for r in d.requests],
            "trace": [_trace(e) for e in d.trace],
            "why_not": [_why_not(w) for w in d.why_not],
            "withheld": [_withheld(h) for h in d.withheld],
        },
    )
    return foot_drop_service_pb2.EvaluateResponse(**fields)
