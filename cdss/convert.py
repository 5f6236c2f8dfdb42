"""Conversion between protobuf messages and plain facts/decisions (used by the servicer only).

Case messages are read generically: every field of the facts dataclasses is looked up by
name in the message descriptor, so a new contract field needs one dataclass field and
nothing here. Unknown enum numbers (proto3 keeps them) and "unspecified" entries in
repeated enums are collected as field violations instead of being guessed at.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from google.protobuf.message import Message

from cdss import facts
from cdss._proto import case_pb2, decision_pb2, foot_drop_service_pb2
from cdss.decision import (
    Decision,
    Detail,
    FactValue,
    RuleRef,
)
from cdss.errors import CaseError, ContractMismatch, FieldViolation
from cdss.vocabulary import Leg


@dataclass(frozen=True, slots=True)
class _Step:
    """How to read one field of a message into a facts dataclass (built once per class)."""

    kind: str  # "scalar", "enum", "enums" (repeated), "message", "messages" (repeated)
    enum_name: str = ""
    members: dict[int, StrEnum] | None = None  # known non-zero enum numbers
    sub: type | None = None  # the dataclass of a message field


_PLANS: dict[type, dict[str, _Step]] = {}


def _plan(cls: type, descriptor: Any) -> dict[str, _Step]:
    plan = _PLANS.get(cls)
    if plan is not None:
        return plan
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    unread = [f.name for f in descriptor.fields if f.name not in known]
    if unread:  # the facts are generated from the .proto: they are stale (run `make proto`)
        raise ContractMismatch(f"{descriptor.full_name}: no fact reads {', '.join(unread)}")
    plan = {}
    for f in dataclasses.fields(cls):
        field = descriptor.fields_by_name[f.name]
        annotation = hints[f.name]
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if field.message_type is not None:
            sub = facts.Medication if f.name == "medications" else (args[0] if args else annotation)
            plan[f.name] = _Step("messages" if field.is_repeated else "message", sub=sub)
        elif field.enum_type is not None:
            enum = next(
                a
                for a in (annotation, *args, *typing.get_args(args[0] if args else annotation))
                if isinstance(a, type) and issubclass(a, StrEnum)
            )
            members = {v.number: enum(v.name) for v in field.enum_type.values if v.number != 0}
            kind = "enums" if field.is_repeated else "enum"
            plan[f.name] = _Step(kind, field.enum_type.name, members)
        else:
            plan[f.name] = _Step("scalar")
    _PLANS[cls] = plan
    return plan


def _enum(step: _Step, number: int, path: str, out: list[FieldViolation]) -> StrEnum | None:
    assert step.members is not None
    member = step.members.get(number)
    if member is None:
        reason = "unspecified (0) is not a value" if number == 0 else f"unknown enum value {number}"
        out.append(FieldViolation(path, f"{reason} for {step.enum_name}"))
    return member


def _read(cls: type, msg: Message, path: str, out: list[FieldViolation]) -> Any:
    """Only the fields that are set are read; the dataclass defaults stand for the rest."""
    plan = _plan(cls, msg.DESCRIPTOR)
    kwargs: dict[str, Any] = {}
    for field, value in msg.ListFields():
        name = field.name
        step = plan[name]
        kind = step.kind
        if kind == "scalar":
            kwargs[name] = value
            continue
        if kind == "enum":
            assert step.members is not None
            member = step.members.get(value)
            if member is None:  # a violation: only then is the field's path spelled out
                member = _enum(step, value, f"{path}.{name}" if path else name, out)
            kwargs[name] = member
            continue
        here = f"{path}.{name}" if path else name
        if kind == "enums":
            members = (_enum(step, n, f"{here}[{i}]", out) for i, n in enumerate(value))
            kwargs[name] = frozenset(m for m in members if m is not None)
        elif kind == "message":
            assert step.sub is not None
            kwargs[name] = _read(step.sub, value, here, out)
        else:
            assert step.sub is not None
            kwargs[name] = tuple(
                _read(step.sub, m, f"{here}[{i}]", out) for i, m in enumerate(value)
            )
    return cls(**kwargs)


def case_from_proto(msg: case_pb2.Case) -> facts.Case:
    """Read a Case message; raise CaseError naming every field that cannot be read."""
    out: list[FieldViolation] = []
    case = _read(facts.Case, msg, "", out)
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


# Items are added in place (``repeated.add``) rather than built and copied in: half the cost.


def _add_facts(target: Any, values: tuple[FactValue, ...]) -> None:
    add = target.add
    for f in values:
        add(name=f.name, value=f.value)


def _leg(leg: Leg | None) -> str | None:
    return leg.value if leg is not None else None


def _add_refs(target: Any, refs: tuple[RuleRef, ...]) -> None:
    for r in refs:
        item = target.add(rule_id=r.rule_id, title=r.title, leg=_leg(r.leg), weight=r.weight)
        _add_facts(item.facts, r.facts)


def response_from_decision(d: Decision) -> foot_drop_service_pb2.EvaluateResponse:
    """The response message for a decision (enum fields are set by their names)."""
    pb = decision_pb2
    resp = foot_drop_service_pb2.EvaluateResponse(
        case_id=d.case_id,
        intended_use=d.intended_use,
        ruleset_version=pb.RulesetVersion(version=d.ruleset_version, content_hash=d.ruleset_hash),
        not_assessed=list(d.not_assessed),
        conflicts=list(d.conflicts),
        under_documented=d.under_documented,
    )
    for a in d.alerts:
        alert = resp.alerts.add(
            kind=a.kind.value,
            urgency=a.urgency.value,
            summary=a.summary,
            action=a.action,
            rule_ids=a.rule_ids,
            withdrawn_by=a.withdrawn_by,
        )
        _add_facts(alert.facts, a.facts)
    for c in d.causes:
        cause = resp.causes.add(
            category=c.category.value,
            group=c.group.value,
            certainty=c.certainty,
            likelihood=c.likelihood.value,
            explanation=c.explanation,
            rule_ids=c.rule_ids,
            rank=c.rank,
        )
        _add_facts(cause.facts, c.facts)
        _add_refs(cause.supporting, c.supporting)
        _add_refs(cause.against, c.against)
    for t in d.tests:
        item = resp.tests.add(
            test=t.test.value,
            urgency=t.urgency.value,
            explanation=t.explanation,
            rule_ids=t.rule_ids,
            timing=t.timing,
        )
        _add_facts(item.facts, t.facts)
        if t.earliest_day_after_onset is not None:
            item.earliest_day_after_onset = t.earliest_day_after_onset
    for tr in d.treatments:
        treatment = resp.treatments.add(
            treatment=tr.treatment.value,
            explanation=tr.explanation,
            rule_ids=tr.rule_ids,
            for_causes=[c.value for c in tr.for_causes],
        )
        _add_facts(treatment.facts, tr.facts)
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
        entry = resp.trace.add(
            rule_id=e.rule_id,
            rule_version=e.rule_version,
            title=e.title,
            stratum=e.stratum,
            leg=_leg(e.leg),
            conclusions=e.conclusions,
        )
        _add_facts(entry.facts, e.facts)
    for w in d.why_not:
        why = resp.why_not.add(
            category=w.category.value, certainty=w.certainty, explanation=w.explanation
        )
        _add_refs(why.against, w.against)
    for h in d.withheld:
        resp.withheld.add(item=h.item.value, reason=h.reason, rule_ids=h.rule_ids)
    return resp
