"""The FHIR Clinical Reasoning view: `$evaluate` answers with a GuidanceResponse whose result is
a contained RequestGroup (the alerts, leading causes, tests and treatments as actions), the
findings worth collecting next as `dataRequirement` (`mustSupport` = case fields) and the FHIR
data that could not be used as notes.

POST body: a Parameters resource with a `data` part holding a Bundle (or any resource), or a
Bundle or a QuestionnaireResponse directly; `subject` (a valueString patient id) and
`requestId` parts are optional. GET returns the OperationDefinition.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from google.protobuf import json_format

from cdss._proto import case_pb2, decision_pb2, foot_drop_service_pb2
from cdss.errors import CaseError, FieldViolation
from cdss.http.cards import PRIORITY, TOPIC_SYSTEM, display
from cdss.http.fhir_input import reading_from_fhir
from cdss.rulebase.model import RuleBase

MODULE = "urn:cdss:v1:PlanDefinition/foot-drop"


@dataclass
class Evaluation:
    request: foot_drop_service_pb2.EvaluateRequest
    request_id: str
    subject: str = ""
    unused: list[str] = field(default_factory=list)


def _parts(body: dict[str, Any]) -> tuple[dict[str, Any], str, str]:
    data: dict[str, Any] = {}
    subject = request_id = ""
    for i, part in enumerate(body.get("parameter", []) or []):
        if not isinstance(part, dict):
            continue
        name = part.get("name")
        if name == "data" and isinstance(part.get("resource"), dict):
            data[f"data{i}"] = part["resource"]
        elif name == "subject" and isinstance(part.get("valueString"), str):
            subject = part["valueString"]
        elif name == "requestId" and isinstance(part.get("valueString"), str):
            request_id = part["valueString"]
    return data, subject, request_id


def parse(body: Any, drugs: frozenset[str]) -> Evaluation:
    if not isinstance(body, dict) or not isinstance(body.get("resourceType"), str):
        raise CaseError([FieldViolation("request", "must be a FHIR resource (Parameters, Bundle)")])
    if body["resourceType"] == "Parameters":
        data, subject, request_id = _parts(body)
        if not data:
            raise CaseError([FieldViolation("parameter", "needs a 'data' part with a resource")])
    else:
        data, subject, request_id = {"data": body}, "", ""
    request_id = (request_id or str(uuid.uuid4()))[:128]
    reading = reading_from_fhir(data, drugs, datetime.now(UTC).date())
    if reading.violations:
        raise CaseError(reading.violations)
    try:
        case = json_format.ParseDict(dict(reading.case, case_id=request_id), case_pb2.Case())
    except json_format.ParseError as exc:
        raise CaseError(
            [FieldViolation("case", f"cannot be built from the FHIR data: {exc}")]
        ) from exc
    return Evaluation(
        foot_drop_service_pb2.EvaluateRequest(case=case), request_id, subject, reading.unused
    )


def _coding(name: str) -> dict[str, Any]:
    return {"coding": [{"system": TOPIC_SYSTEM, "code": name, "display": display(name)}]}


def _actions(resp: foot_drop_service_pb2.EvaluateResponse) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for a in resp.alerts:
        out.append({
            "title": a.summary,
            "description": a.action,
            "priority": PRIORITY.get(a.urgency, "routine"),
            "code": [_coding(decision_pb2.AlertKind.Name(a.kind))],
            "documentation": [{"type": "justification", "label": ", ".join(a.rule_ids)}],
        })  # fmt: skip
    for c in resp.causes[:3]:
        name = decision_pb2.CauseCategory.Name(c.category)
        like = display(decision_pb2.Likelihood.Name(c.likelihood))
        out.append({
            "title": f"{display(name)}: {like} ({c.certainty:.2f}, a rule-based weight)",
            "description": c.explanation,
            "code": [_coding(name)],
        })  # fmt: skip
    for t in resp.tests:
        name = decision_pb2.TestKind.Name(t.test)
        out.append({
            "title": f"Consider {display(name)}",
            "description": " ".join(x for x in (t.explanation, t.timing) if x),
            "priority": PRIORITY.get(t.urgency, "routine"),
            "code": [_coding(name)],
        })  # fmt: skip
    for tr in resp.treatments:
        name = decision_pb2.TreatmentKind.Name(tr.treatment)
        out.append({"title": f"Consider {display(name)}", "description": tr.explanation,
                    "code": [_coding(name)]})  # fmt: skip
    return out


def guidance_response(
    resp: foot_drop_service_pb2.EvaluateResponse, evaluation: Evaluation, rb: RuleBase
) -> dict[str, Any]:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    group: dict[str, Any] = {
        "resourceType": "RequestGroup",
        "id": "answer",
        "status": "draft",
        "intent": "proposal",
        "authoredOn": now,
        "action": _actions(resp),
    }
    out: dict[str, Any] = {
        "resourceType": "GuidanceResponse",
        "id": str(uuid.uuid4()),
        "contained": [group],
        "requestIdentifier": {"system": "urn:ietf:rfc:3986", "value": evaluation.request_id},
        "moduleUri": f"{MODULE}|{rb.meta.version}",
        "status": "data-requested" if resp.requests else "success",
        "occurrenceDateTime": now,
        "result": {"reference": "#answer"},
        "note": [{"text": rb.meta.intended_use.strip()}]
        + [{"text": f"not used: {u}"} for u in evaluation.unused],
    }
    if evaluation.subject:
        out["subject"] = {"reference": f"Patient/{evaluation.subject}"}
    if resp.requests:
        out["dataRequirement"] = [
            {"type": "QuestionnaireResponse", "mustSupport": list(r.fields)}
            for r in resp.requests
            if r.fields
        ]
    return out


def operation_definition() -> dict[str, Any]:
    def param(name: str, use: str, kind: str, low: int, doc: str) -> dict[str, Any]:
        return {"name": name, "use": use, "min": low, "max": "1", "type": kind,
                "documentation": doc}  # fmt: skip

    return {
        "resourceType": "OperationDefinition",
        "id": "foot-drop-evaluate",
        "name": "FootDropEvaluate",
        "status": "active",
        "kind": "operation",
        "code": "evaluate",
        "system": True,
        "type": False,
        "instance": False,
        "description": "Evaluate a foot-drop case given as FHIR resources (see README).",
        "parameter": [
            param("data", "in", "Resource", 1, "A Bundle, QuestionnaireResponse or resource"),
            param("subject", "in", "string", 0, "The patient id, echoed in the answer"),
            param("requestId", "in", "string", 0, "Echoed as requestIdentifier"),
            param("return", "out", "GuidanceResponse", 1, "The answer"),
        ],
    }
