"""The CDS Hooks 2.0 services: discovery, and one hook call from its JSON to a Case message.

Two services: `foot-drop` on `patient-view` (the answer as cards) and `foot-drop-orders` on
`order-select` (the selected lumbar MRI / EMG orders checked against the answer). The call's
context and prefetch (or what is fetched from `fhirServer` when a key is missing) become the
protobuf Case the gRPC path receives; validation and evaluation are then the same code
(cdss.answer), so a bad value gets the same field violation by either door.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from google.protobuf import json_format

from cdss._proto import case_pb2, foot_drop_service_pb2
from cdss.errors import CaseError, FieldViolation, PreconditionFailed
from cdss.http import fhir_client
from cdss.http.fhir_input import ASSESSMENT_KEY, codes, reading_from_fhir
from cdss.http.questionnaire import Reading

PATIENT_VIEW = "foot-drop"
ORDER_SELECT = "foot-drop-orders"
QUESTIONNAIRE_CANONICAL = "urn:cdss:v1:Questionnaire/foot-drop"
REQUIRED_PREFETCH = frozenset({"patient", ASSESSMENT_KEY})
_MAX_ID = 128


def prefetch_templates() -> dict[str, str]:
    loinc = sorted(
        {
            c
            for spec in (*codes()["observations"].values(), *codes()["flags"].values())
            for c in spec["loinc"]
        }
    )
    return {
        "patient": "Patient/{{context.patientId}}",
        ASSESSMENT_KEY: "QuestionnaireResponse?subject=Patient/{{context.patientId}}"
        f"&questionnaire={QUESTIONNAIRE_CANONICAL}&_sort=-authored&_count=1",
        "conditions": "Condition?patient={{context.patientId}}",
        "medicationRequests": "MedicationRequest?patient={{context.patientId}}&status=active",
        "medicationStatements": "MedicationStatement?patient={{context.patientId}}&status=active",
        "observations": "Observation?patient={{context.patientId}}&code="
        + ",".join(f"http://loinc.org|{c}" for c in loinc)
        + "&_sort=-date",
        "reports": "DiagnosticReport?patient={{context.patientId}}&_sort=-date&_count=20",
    }


@dataclass(frozen=True, slots=True)
class Service:
    id: str
    hook: str
    title: str
    description: str


SERVICES = {
    PATIENT_VIEW: Service(
        PATIENT_VIEW,
        "patient-view",
        "Foot drop: differential, red flags, tests and treatment",
        "Reads the foot-drop assessment (QuestionnaireResponse of the foot-drop Questionnaire) "
        "with the patient's conditions, medications and results, and returns red-flag alerts "
        "first, then the ranked differential with the rules and facts behind it, suggested "
        "tests and treatment options. Decision support for clinicians; not a diagnosis.",
    ),
    ORDER_SELECT: Service(
        ORDER_SELECT,
        "order-select",
        "Foot drop: check a lumbar MRI or EMG order",
        "Checks a selected lumbar spine MRI or EMG/nerve conduction order against the "
        "foot-drop answer for this patient: whether it is suggested, its urgency and timing, "
        "or why it is not suggested; red-flag alerts are always returned.",
    ),
}


def discovery() -> dict[str, Any]:
    templates = prefetch_templates()
    return {
        "services": [
            {
                "hook": s.hook,
                "title": s.title,
                "description": s.description,
                "id": s.id,
                "prefetch": templates,
                "usageRequirements": (
                    "Needs the foot-drop assessment (GET /fhir/Questionnaire/foot-drop) and the "
                    "Patient, by prefetch or from fhirServer with fhirAuthorization. Send a "
                    "bearer token when the service is run with a tokens file."
                ),
            }
            for s in SERVICES.values()
        ]
    }


@dataclass
class HookCall:
    """One validated hook request, with the Case built from it."""

    service: Service
    hook_instance: str
    context: dict[str, Any]
    request: foot_drop_service_pb2.EvaluateRequest = field(
        default_factory=foot_drop_service_pb2.EvaluateRequest
    )
    unused: list[str] = field(default_factory=list)

    @property
    def patient_id(self) -> str:
        return str(self.context.get("patientId", ""))


def _string(body: dict[str, Any], key: str, out: list[FieldViolation], required: bool) -> str:
    value = body.get(key)
    if value is None:
        if required:
            out.append(FieldViolation(key, "is required"))
        return ""
    if not isinstance(value, str) or not value.strip():
        out.append(FieldViolation(key, "must be a non-empty string"))
        return ""
    return value


def parse_call(service_id: str, body: Any) -> tuple[HookCall, dict[str, Any], str, str]:
    """(call, prefetch, fhirServer, token) from the JSON body, or CaseError naming the fields."""
    service = SERVICES[service_id]
    if not isinstance(body, dict):
        raise CaseError([FieldViolation("request", "must be a JSON object")])
    out: list[FieldViolation] = []
    hook = _string(body, "hook", out, True)
    if hook and hook != service.hook:
        out.append(
            FieldViolation("hook", f"service {service.id} answers {service.hook}, not {hook}")
        )
    instance = _string(body, "hookInstance", out, True)
    if len(instance) > _MAX_ID:
        out.append(FieldViolation("hookInstance", f"longer than {_MAX_ID} characters"))
    context = body.get("context")
    if not isinstance(context, dict):
        out.append(FieldViolation("context", "is required (an object)"))
        context = {}
    elif not isinstance(context.get("patientId"), str) or not context["patientId"]:
        out.append(FieldViolation("context.patientId", "is required (a string)"))
    prefetch = body.get("prefetch", {})
    if not isinstance(prefetch, dict):
        out.append(FieldViolation("prefetch", "must be an object"))
        prefetch = {}
    server = _string(body, "fhirServer", out, False)
    auth = body.get("fhirAuthorization")
    token = ""
    if auth is not None:
        if not isinstance(auth, dict) or not isinstance(auth.get("access_token"), str):
            out.append(FieldViolation("fhirAuthorization.access_token", "is required (a string)"))
        else:
            token = auth["access_token"]
            if str(auth.get("token_type", "Bearer")).lower() != "bearer":
                out.append(FieldViolation("fhirAuthorization.token_type", "must be Bearer"))
        if not server:
            out.append(FieldViolation("fhirServer", "is required with fhirAuthorization"))
    if service.hook == "order-select":
        if not isinstance(context.get("selections"), list):
            out.append(FieldViolation("context.selections", "is required (a list of ids)"))
        draft = context.get("draftOrders")
        if not isinstance(draft, dict) or draft.get("resourceType") != "Bundle":
            out.append(FieldViolation("context.draftOrders", "is required (a FHIR Bundle)"))
    if out:
        raise CaseError(out)
    return HookCall(service, instance, context), prefetch, server, token


async def gather(
    call: HookCall,
    prefetch: dict[str, Any],
    server: str,
    token: str,
    timeout: float = fhir_client.FHIR_TIMEOUT,
) -> dict[str, Any]:
    """The prefetch, completed from the FHIR server for the keys the client did not send."""
    templates = prefetch_templates()
    missing = {k: v for k, v in templates.items() if k not in prefetch}
    unknown = sorted(set(prefetch) - set(templates))
    call.unused += [f"prefetch {k}: not a key of this service's discovery" for k in unknown]
    data = {k: v for k, v in prefetch.items() if k in templates}
    if not missing:
        return data
    if not server:
        absent = sorted(REQUIRED_PREFETCH & set(missing))
        if absent:
            raise PreconditionFailed(
                f"required prefetch {', '.join(absent)} missing and no fhirServer to read it from"
            )
        call.unused.append(
            f"prefetch not sent, and no fhirServer to read it from: {', '.join(sorted(missing))} "
            "(treated as not recorded)"
        )
        return data
    wanted = {}
    for key, template in missing.items():
        query = fhir_client.render(template, call.context)
        if query is not None:
            wanted[key] = query
    data.update(
        await fhir_client.fetch(
            server, token or None, wanted, set(REQUIRED_PREFETCH), call.unused, timeout=timeout
        )
    )
    return data


def _other_patient(resource: Any, patient_id: str) -> str | None:
    """The patient a resource is about, when it is not the hook's patient (else None)."""
    if not isinstance(resource, dict):
        return None
    if resource.get("resourceType") == "Patient":
        rid = resource.get("id")
        return str(rid) if isinstance(rid, str) and rid != patient_id else None
    for key in ("subject", "patient"):
        ref = resource.get(key)
        text = ref.get("reference") if isinstance(ref, dict) else None
        if isinstance(text, str) and "Patient/" in text:
            rid = text.rsplit("Patient/", 1)[1].split("/", 1)[0]
            if rid != patient_id:
                return rid
    return None


def same_patient(data: dict[str, Any], patient_id: str) -> list[FieldViolation]:
    """Every resource that names another patient than context.patientId (never merged)."""
    out = []
    for key, value in data.items():
        entries = [(f"prefetch.{key}", value)]
        if isinstance(value, dict) and value.get("resourceType") == "Bundle":
            raw = value.get("entry") or []
            entries = [
                (f"prefetch.{key}.entry[{i}].resource", e.get("resource"))
                for i, e in enumerate(raw if isinstance(raw, list) else [])
                if isinstance(e, dict)
            ]
        for where, resource in entries:
            other = _other_patient(resource, patient_id)
            if other is not None:
                out.append(
                    FieldViolation(
                        where, f"is about Patient/{other}, not the context's {patient_id}"
                    )
                )
    return out


def build_case(call: HookCall, data: dict[str, Any], drugs: frozenset[str]) -> Reading:
    """The Case message from the FHIR data (CaseError for what FHIR itself makes invalid, and
    for data about another patient than the hook's)."""
    wrong = same_patient(data, call.patient_id)
    if wrong:
        raise CaseError(wrong)
    reading = reading_from_fhir(data, drugs, datetime.now(UTC).date())
    if reading.violations:
        raise CaseError(reading.violations)
    case_json = dict(reading.case, case_id=call.hook_instance)
    try:
        case = json_format.ParseDict(case_json, case_pb2.Case())
    except json_format.ParseError as exc:
        raise CaseError(
            [FieldViolation("case", f"cannot be built from the FHIR data: {exc}")]
        ) from exc
    call.request = foot_drop_service_pb2.EvaluateRequest(case=case)
    call.unused += reading.unused
    return reading
