"""Conversion between protobuf messages and plain facts/decisions (used by the servicer only).

Case messages are read generically: every field of the facts dataclasses is looked up by
name in the message descriptor, so a new contract field needs one dataclass field and
nothing here. Unknown enum numbers (proto3 keeps them) and "unspecified" entries in
repeated enums are collected as field violations instead of being guessed at.
"""

from __future__ import annotations

import dataclasses
import typing
from enum import StrEnum
from typing import Any

from google.protobuf.message import Message

from cdss import facts
from cdss._proto import case_pb2, decision_pb2, foot_drop_service_pb2
from cdss.decision import (
    Decision,
    FactValue,
    RuleRef,
)
from cdss.errors import CaseError, FieldViolation
from cdss.vocabulary import Leg

_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _enum_class(annotation: Any) -> type[StrEnum] | None:
    for arg in (annotation, *typing.get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, StrEnum):
            return arg
    return None


def _enum_value(
    enum: type[StrEnum], number: int, field: Any, path: str, out: list[FieldViolation]
) -> StrEnum | None:
    value = field.enum_type.values_by_number.get(number)
    if value is None:
        out.append(FieldViolation(path, f"unknown enum value {number} for {field.enum_type.name}"))
        return None
    if number == 0:
        return None
    return enum(value.name)


def _read(cls: type, msg: Message, path: str, out: list[FieldViolation]) -> Any:
    descriptor = msg.DESCRIPTOR
    hints = _hints(cls)
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        field = descriptor.fields_by_name[f.name]
        here = f"{path}.{f.name}" if path else f.name
        annotation = hints[f.name]
        enum = _enum_class(annotation)
        if f.name == "medications":
            kwargs[f.name] = tuple(
                _read(facts.Medication, m, f"{here}[{i}]", out)
                for i, m in enumerate(getattr(msg, f.name))
            )
        elif field.is_repeated:
            assert enum is not None
            values = []
            for i, number in enumerate(getattr(msg, f.name)):
                if number == 0:
                    out.append(FieldViolation(f"{here}[{i}]", "unspecified (0) is not a value"))
                    continue
                v = _enum_value(enum, number, field, f"{here}[{i}]", out)
                if v is not None:
                    values.append(v)
            kwargs[f.name] = frozenset(values)
        elif field.message_type is not None:
            if msg.HasField(f.name):
                sub = typing.get_args(annotation)[0] if typing.get_args(annotation) else annotation
                kwargs[f.name] = _read(sub, getattr(msg, f.name), here, out)
            elif f.default is None:
                kwargs[f.name] = None
        elif enum is not None:
            kwargs[f.name] = _enum_value(enum, getattr(msg, f.name), field, here, out)
        elif field.has_presence:
            kwargs[f.name] = getattr(msg, f.name) if msg.HasField(f.name) else None
        else:
            kwargs[f.name] = getattr(msg, f.name)
    return cls(**kwargs)


def case_from_proto(msg: case_pb2.Case) -> facts.Case:
    """Read a Case message; raise CaseError naming every field that cannot be read."""
    out: list[FieldViolation] = []
    case = _read(facts.Case, msg, "", out)
    if out:
        raise CaseError(out)
    assert isinstance(case, facts.Case)
    return case


# ---- decision -> response -----------------------------------------------------------------


def _facts(values: tuple[FactValue, ...]) -> list[decision_pb2.Fact]:
    return [decision_pb2.Fact(name=f.name, value=f.value) for f in values]


def _leg(leg: Leg | None) -> str | None:
    return leg.value if leg is not None else None


def _ref(r: RuleRef) -> decision_pb2.RuleRef:
    return decision_pb2.RuleRef(
        rule_id=r.rule_id, title=r.title, leg=_leg(r.leg), facts=_facts(r.facts), weight=r.weight
    )


def response_from_decision(d: Decision) -> foot_drop_service_pb2.EvaluateResponse:
    """The response message for a decision (enum fields are set by their names)."""
    pb = decision_pb2
    resp = foot_drop_service_pb2.EvaluateResponse(
        case_id=d.case_id,
        intended_use=d.intended_use,
        ruleset_version=pb.RulesetVersion(version=d.ruleset_version, content_hash=d.ruleset_hash),
        not_assessed=list(d.not_assessed),
        conflicts=list(d.conflicts),
    )
    for a in d.alerts:
        resp.alerts.add(
            kind=a.kind.value,
            urgency=a.urgency.value,
            summary=a.summary,
            action=a.action,
            rule_ids=a.rule_ids,
            facts=_facts(a.facts),
        )
    for c in d.causes:
        resp.causes.add(
            category=c.category.value,
            group=c.group.value,
            certainty=c.certainty,
            likelihood=c.likelihood.value,
            explanation=c.explanation,
            rule_ids=c.rule_ids,
            facts=_facts(c.facts),
            supporting=[_ref(r) for r in c.supporting],
            against=[_ref(r) for r in c.against],
            rank=c.rank,
        )
    for t in d.tests:
        item = resp.tests.add(
            test=t.test.value,
            urgency=t.urgency.value,
            explanation=t.explanation,
            rule_ids=t.rule_ids,
            timing=t.timing,
            facts=_facts(t.facts),
        )
        if t.earliest_day_after_onset is not None:
            item.earliest_day_after_onset = t.earliest_day_after_onset
    for tr in d.treatments:
        resp.treatments.add(
            treatment=tr.treatment.value,
            explanation=tr.explanation,
            rule_ids=tr.rule_ids,
            for_causes=[c.value for c in tr.for_causes],
            facts=_facts(tr.facts),
        )
    for r in d.requests:
        resp.requests.add(
            fields=r.fields,
            question=r.question,
            reason=r.reason,
            separates=[c.value for c in r.separates],
            urgency=r.urgency.value,
            rule_ids=r.rule_ids,
            expected_change=r.expected_change,
        )
    for e in d.trace:
        resp.trace.add(
            rule_id=e.rule_id,
            rule_version=e.rule_version,
            title=e.title,
            stratum=e.stratum,
            leg=_leg(e.leg),
            facts=_facts(e.facts),
            conclusions=e.conclusions,
        )
    for w in d.why_not:
        resp.why_not.add(
            category=w.category.value,
            certainty=w.certainty,
            explanation=w.explanation,
            against=[_ref(r) for r in w.against],
        )
    for h in d.withheld:
        resp.withheld.add(item=h.item.value, reason=h.reason, rule_ids=h.rule_ids)
    return resp
