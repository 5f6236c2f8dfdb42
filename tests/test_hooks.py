"""The CDS Hooks 2.0 / FHIR R4 front door over a real uvicorn server (port 0) with a real HTTP
client: discovery, both hooks, every card field against a JSON Schema written from the spec,
FHIR resources through fhir.resources, the no-prefetch path against a mock FHIR server, bad
input, limits, tokens, CORS, feedback into the audit store, and the GuidanceResponse."""

from __future__ import annotations

import copy
import json
import socket
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import httpx
import jsonschema
import pytest
from fhir.resources.R4B.guidanceresponse import GuidanceResponse
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.R4B.requestgroup import RequestGroup
from fhir.resources.R4B.servicerequest import ServiceRequest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from cdss import case_fields
from cdss._proto import foot_drop_service_pb2
from cdss.audit import open_store, prepare_store
from cdss.audit_report import audit_json, audit_show
from cdss.auth import Authenticator, Principal
from cdss.evaluator import Evaluator
from cdss.http.app import FrontDoor
from cdss.http.fhir_input import ASSESSMENT_KEY
from cdss.http.questionnaire import read_response, response_from_case
from cdss.replay import replay
from tests.cds_hooks_schema import CARD, DISCOVERY, RESPONSE
from tests.conftest import evaluate_request
from tests.hooks_support import (
    MockFhir,
    asgi_server,
    front_door,
    hook_body,
    load_case,
    patient,
)

PERONEAL = load_case("examples/peroneal-compression.json")
CAUDA = load_case("examples/cauda-equina.json")
TOKEN = "hooks-test-token-0123456789"
READ_ONLY = "hooks-read-only-token-012345"
CHECKER = jsonschema.Draft202012Validator(RESPONSE, format_checker=jsonschema.FormatChecker())


@pytest.fixture(scope="module")
def audit_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hooks") / "audit.db"
    prepare_store(path)
    return path


@pytest.fixture(scope="module")
def base(evaluator: Evaluator, audit_path: Path) -> Iterator[str]:
    store = open_store(audit_path)
    with front_door(FrontDoor(evaluator, audit=store, max_body_bytes=256 * 1024)) as url:
        yield url
    store.close()


@pytest.fixture(scope="module")
def secured(evaluator: Evaluator) -> Iterator[str]:
    auth = Authenticator(
        [
            Principal("ehr", TOKEN, frozenset({"*"})),
            Principal("reader", READ_ONLY, frozenset({"GetRuleBase"})),
        ]
    )
    with front_door(FrontDoor(evaluator, authenticator=auth)) as url:
        yield url


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30) as c:
        yield c


def cards_of(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    body = response.json()
    CHECKER.validate(body)
    cards: list[dict[str, Any]] = body["cards"]
    return cards


def violations(response: httpx.Response) -> dict[str, str]:
    body = response.json()["error"]
    assert body["status"] == "INVALID_ARGUMENT"
    return {v["field"]: v["description"] for v in body["details"][0]["fieldViolations"]}


def test_discovery_lists_both_services_with_prefetch(base: str, client: httpx.Client) -> None:
    body = client.get(f"{base}/cds-services").json()
    jsonschema.validate(body, DISCOVERY)
    services = {s["id"]: s for s in body["services"]}
    assert services["foot-drop"]["hook"] == "patient-view"
    assert services["foot-drop-orders"]["hook"] == "order-select"
    prefetch = services["foot-drop"]["prefetch"]
    assert prefetch["patient"] == "Patient/{{context.patientId}}"
    assert "QuestionnaireResponse?subject=Patient/{{context.patientId}}" in prefetch[ASSESSMENT_KEY]
    assert "4548-4" in prefetch["observations"]


def test_patient_view_cards_follow_the_spec(base: str, client: httpx.Client) -> None:
    cards = cards_of(client.post(f"{base}/cds-services/foot-drop", json=hook_body(PERONEAL)))
    uuids = [c["uuid"] for c in cards]
    assert len(set(uuids)) == len(uuids)
    order = {"critical": 0, "warning": 1, "info": 2}
    assert [order[c["indicator"]] for c in cards] == sorted(order[c["indicator"]] for c in cards)
    differential = next(c for c in cards if c["source"]["topic"]["code"] == "differential")
    assert differential["summary"].startswith("Differential: peroneal neuropathy (likely")
    assert "R27" in differential["detail"] or "Rules and sources" in differential["detail"]
    assert "not a probability" in differential["detail"]
    for card in cards:
        jsonschema.validate(card, CARD)
        assert card["links"][0]["url"] == f"{base}/rules"
        assert client.get(card["links"][0]["url"]).status_code == 200
        assert "Foot-drop CDS rule base" in card["source"]["label"]


def test_emergency_comes_first_as_critical_with_the_test_as_suggestion(
    base: str, client: httpx.Client
) -> None:
    cards = cards_of(client.post(f"{base}/cds-services/foot-drop", json=hook_body(CAUDA)))
    assert cards[0]["indicator"] == "critical"
    assert cards[0]["source"]["topic"]["code"] == "ALERT_KIND_CAUDA_EQUINA"
    assert "Action:" in cards[0]["detail"]
    tests = next(c for c in cards if c["source"]["topic"]["code"] == "tests")
    assert tests["selectionBehavior"] == "any"
    for suggestion in tests["suggestions"]:
        resource = suggestion["actions"][0]["resource"]
        request = ServiceRequest.model_validate(resource)  # a valid FHIR R4 ServiceRequest
        assert request.subject is not None and request.subject.reference == "Patient/p1"
    mri = [s for s in tests["suggestions"] if "MRI" in s["label"]]
    assert mri and mri[0]["actions"][0]["resource"]["priority"] == "stat"


def test_same_answer_as_grpc_for_the_same_bad_value(
    base: str, client: httpx.Client, stub: Any
) -> None:
    bad = copy.deepcopy(PERONEAL)
    bad["exam"]["left"]["ankle_dorsiflexion"] = 7
    bad["presentation"]["days_since_onset"] = -1
    response = client.post(f"{base}/cds-services/foot-drop", json=hook_body(bad))
    assert response.status_code == 400
    http = violations(response)
    with pytest.raises(grpc.RpcError) as info:
        stub.Evaluate(evaluate_request(bad), timeout=10)
    assert isinstance(info.value, grpc.Call)
    status = rpc_status.from_call(info.value)
    assert status is not None
    detail = error_details_pb2.BadRequest()
    status.details[0].Unpack(detail)
    assert http == {v.field: v.description for v in detail.field_violations}
    assert "exam.left.ankle_dorsiflexion" in http


def test_wrong_answer_types_name_the_field(base: str, client: httpx.Client) -> None:
    body = hook_body(PERONEAL)
    items = body["prefetch"][ASSESSMENT_KEY]["item"]
    items.append({"linkId": "exam.right.toe_extension", "answer": [{"valueString": "weak"}]})
    items.append({"linkId": "exam.right.tone", "answer": [{"valueCoding": {"code": "TONE_BAD"}}]})
    items.append({"linkId": "presentation.course", "answer": [{"valueBoolean": True}]})
    response = client.post(f"{base}/cds-services/foot-drop", json=body)
    assert response.status_code == 400
    found = violations(response)
    assert "valueInteger" in found["exam.right.toe_extension"]
    assert "TONE_BAD" in found["exam.right.tone"]
    assert found["presentation.course"] == "answered more than once"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"{not json", "request"),
        (b"[1, 2]", "request"),
        (b'{"hook": "patient-view", "context": {"patientId": "p1"}}', "hookInstance"),
        (b'{"hook": "order-sign", "hookInstance": "x", "context": {"patientId": "p"}}', "hook"),
        (b'{"hook": "patient-view", "hookInstance": "x", "context": {}}', "context.patientId"),
        (
            b'{"hook": "patient-view", "hookInstance": 5, "context": {"patientId": "p"}}',
            "hookInstance",
        ),
    ],
)
def test_bad_requests_are_400_naming_the_field(
    base: str, client: httpx.Client, body: bytes, field: str
) -> None:
    response = client.post(
        f"{base}/cds-services/foot-drop", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert field in violations(response)


def test_invalid_fhir_resource_is_400_naming_the_prefetch_key(
    base: str, client: httpx.Client
) -> None:
    body = hook_body(PERONEAL)
    body["prefetch"]["patient"] = patient(birthDate="not-a-date")
    response = client.post(f"{base}/cds-services/foot-drop", json=body)
    assert response.status_code == 400
    found = violations(response)
    assert "birthDate" in found["prefetch.patient"]


def test_oversized_body_is_413(base: str, client: httpx.Client) -> None:
    body = hook_body(PERONEAL)
    body["padding"] = "x" * (300 * 1024)
    response = client.post(f"{base}/cds-services/foot-drop", json=body)
    assert response.status_code == 413
    assert response.json()["error"]["status"] == "RESOURCE_EXHAUSTED"


def test_unknown_service_is_404(base: str, client: httpx.Client) -> None:
    assert client.post(f"{base}/cds-services/nope", json={}).status_code == 404


def test_missing_required_prefetch_without_fhir_server_is_412(
    base: str, client: httpx.Client
) -> None:
    body = hook_body(PERONEAL)
    del body["prefetch"][ASSESSMENT_KEY]
    response = client.post(f"{base}/cds-services/foot-drop", json=body)
    assert response.status_code == 412
    assert ASSESSMENT_KEY in response.json()["error"]["message"]


def test_null_prefetch_means_no_data_and_gets_an_under_documented_answer(
    base: str, client: httpx.Client
) -> None:
    body = hook_body(None)
    body["prefetch"][ASSESSMENT_KEY] = None
    cards = cards_of(client.post(f"{base}/cds-services/foot-drop", json=body))
    differential = next(c for c in cards if c["source"]["topic"]["code"] == "differential")
    assert differential["summary"].startswith("Not excluded")


def test_no_prefetch_reads_the_fhir_server_with_the_token(base: str, client: httpx.Client) -> None:
    fhir = MockFhir(
        [
            patient(birthDate="1990-05-01", gender="female"),
            {
                **response_from_case(PERONEAL, "p1"),
                "id": "qr1",
            },
            {
                "resourceType": "Condition",
                "id": "c1",
                "subject": {"reference": "Patient/p1"},
                "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "E11.9"}]},
            },
        ]
    )
    with asgi_server(fhir.app) as fhir_base:
        body = hook_body(PERONEAL, prefetch=False)
        body["fhirServer"] = f"{fhir_base}/fhir"
        body["fhirAuthorization"] = {
            "access_token": "fhir-secret",
            "token_type": "Bearer",
            "expires_in": 300,
            "scope": "user/*.read",
            "subject": "cdss",
        }
        cards = cards_of(client.post(f"{base}/cds-services/foot-drop", json=body))
    assert fhir.seen and all(auth == "Bearer fhir-secret" for _, auth in fhir.seen)
    assert any(path.startswith("QuestionnaireResponse?subject=Patient/p1") for path, _ in fhir.seen)
    differential = next(c for c in cards if c["source"]["topic"]["code"] == "differential")
    assert "peroneal neuropathy" in differential["summary"]


def test_fhir_server_failure_for_a_required_key_is_412(base: str, client: httpx.Client) -> None:
    fhir = MockFhir([patient()], fail={"QuestionnaireResponse"})
    with asgi_server(fhir.app) as fhir_base:
        body = hook_body(PERONEAL, prefetch=False, fhirServer=None)
        body["fhirServer"] = f"{fhir_base}/fhir"
        response = client.post(f"{base}/cds-services/foot-drop", json=body)
    assert response.status_code == 412


def test_fhir_server_must_be_https_off_loopback(base: str, client: httpx.Client) -> None:
    body = hook_body(PERONEAL, prefetch=False)
    body["fhirServer"] = "http://fhir.example.org/r4"
    response = client.post(f"{base}/cds-services/foot-drop", json=body)
    assert response.status_code == 400
    assert "fhirServer" in violations(response)


def condition(cid: str, system: str, code: str) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": cid,
        "subject": {"reference": "Patient/p1"},
        "code": {"coding": [{"system": system, "code": code}]},
    }


def test_coded_resources_fill_the_case_and_the_rest_is_named(
    base: str, client: httpx.Client
) -> None:
    snomed = "http://snomed.info/sct"
    conditions = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [
            {"resource": condition("dm", snomed, "73211009")},
            {"resource": condition("asthma", snomed, "195967001")},
        ],
    }
    meds = {
        "resourceType": "MedicationStatement",
        "id": "m1",
        "status": "active",
        "subject": {"reference": "Patient/p1"},
        "medicationCodeableConcept": {
            "coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "11289"}]
        },
    }
    hba1c = {
        "resourceType": "Observation",
        "id": "o1",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "4548-4"}]},
        "valueQuantity": {"value": 64, "unit": "mmol/mol", "code": "mmol/mol"},
    }
    body = hook_body(
        PERONEAL,
        extra_prefetch={
            "conditions": conditions,
            "medicationStatements": meds,
            "observations": hba1c,
        },
    )
    cards = cards_of(client.post(f"{base}/cds-services/foot-drop", json=body))
    unused = next(c for c in cards if c["source"]["topic"]["code"] == "unused")
    assert "Condition/asthma" in unused["detail"]
    # history.diabetes came from the SNOMED code and disagrees with the assessment's "false"
    assert "history.diabetes = True" in unused["detail"]


def test_fhir_mapping_reads_codes_and_units(evaluator: Evaluator) -> None:
    from datetime import date

    from cdss.http.fhir_input import reading_from_fhir

    data = {
        "p": patient(birthDate="1960-06-30", gender="male"),
        "c": {"resourceType": "Condition", "id": "ms", "subject": {"reference": "Patient/p1"},
              "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "G35"}]}},
        "g": {"resourceType": "Observation", "id": "g", "status": "final",
              "code": {"coding": [{"system": "http://loinc.org", "code": "2345-7"}]},
              "valueQuantity": {"value": 180, "code": "mg/dL"}},
        "b": {"resourceType": "Observation", "id": "b", "status": "final",
              "code": {"coding": [{"system": "http://loinc.org", "code": "2132-9"}]},
              "interpretation": [{"coding": [{"code": "L"}]}]},
        "r": {"resourceType": "MedicationRequest", "id": "r", "status": "active", "intent": "order",
              "subject": {"reference": "Patient/p1"}, "authoredOn": "2026-11-21",
              "medicationCodeableConcept": {"text": "Vincristine sulfate 1 MG/ML injection"}},
    }  # fmt: skip
    reading = reading_from_fhir(data, frozenset(evaluator.compiled.drug_names), date(2026, 12, 1))
    assert reading.violations == []
    assert reading.case["patient"] == {"age_years": 66, "sex": "SEX_MALE"}
    assert reading.case["history"] == {"multiple_sclerosis": True}
    assert reading.case["results"] == {"blood_glucose_mmol_l": 9.99, "b12_low": True}
    assert reading.case["medications"] == [{"name": "vincristine", "days_since_start": 10}]


def test_order_select_checks_the_selected_order(base: str, client: httpx.Client) -> None:
    order = {
        "resourceType": "ServiceRequest",
        "id": "mri1",
        "status": "draft",
        "intent": "order",
        "subject": {"reference": "Patient/p1"},
        "code": {"text": "MRI lumbar spine without contrast"},
    }
    body = hook_body(
        PERONEAL,
        hook="order-select",
        selections=["ServiceRequest/mri1"],
        draftOrders={
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [{"resource": order}],
        },
    )
    cards = cards_of(client.post(f"{base}/cds-services/foot-drop-orders", json=body))
    check = next(c for c in cards if c["source"]["topic"]["code"] == "TEST_MRI_LUMBAR_SPINE")
    assert check["indicator"] == "warning"
    assert check["summary"].startswith("MRI lumbar spine is not suggested")
    action = check["suggestions"][0]["actions"][0]
    assert action == {**action, "type": "delete", "resourceId": "ServiceRequest/mri1"}
    assert check["selectionBehavior"] == "at-most-one"


def test_order_select_without_draft_orders_is_400(base: str, client: httpx.Client) -> None:
    body = hook_body(PERONEAL, hook="order-select")
    response = client.post(f"{base}/cds-services/foot-drop-orders", json=body)
    assert response.status_code == 400
    assert {"context.selections", "context.draftOrders"} <= set(violations(response))


def test_feedback_is_recorded_in_the_audit_store(
    base: str, client: httpx.Client, audit_path: Path
) -> None:
    cards = cards_of(client.post(f"{base}/cds-services/foot-drop", json=hook_body(CAUDA)))
    tests = next(c for c in cards if c.get("suggestions"))
    feedback = {
        "feedback": [
            {
                "card": tests["uuid"],
                "outcome": "accepted",
                "acceptedSuggestions": [{"id": tests["suggestions"][0]["uuid"]}],
                "outcomeTimestamp": "2026-12-01T10:05:31Z",
            },
            {
                "card": cards[-1]["uuid"],
                "outcome": "overridden",
                "overrideReason": {
                    "reason": cards[-1]["overrideReasons"][0],
                    "userComment": "seen in clinic",
                },
                "outcomeTimestamp": "2026-12-01T10:06:00Z",
            },
        ]
    }
    response = client.post(f"{base}/cds-services/foot-drop/feedback", json=feedback)
    assert response.status_code == 200
    store = open_store(audit_path)
    try:
        records = {r.case_id: r for r in store.latest(50)}
        accepted = records[tests["uuid"]]
        assert accepted.status == "ACCEPTED"
        assert accepted.method == "HTTP POST /cds-services/foot-drop/feedback"
        assert json.loads(accepted.request)["acceptedSuggestions"][0]["id"]
        assert records[cards[-1]["uuid"]].status == "OVERRIDDEN"
        overridden = records[cards[-1]["uuid"]]
        shown = "".join(str(getattr(p, "plain", "")) for p in audit_show(overridden, 100))
        assert "seen in clinic" in shown  # `cdss audit show` renders feedback, it does not crash
        assert "seen in clinic" in json.dumps(json.loads(audit_json(overridden))["request"])
        assert not replay(store, accepted.id).identical  # feedback has nothing to replay
        hook = next(r for r in store.latest(50) if r.method == "HTTP POST /cds-services/foot-drop")
        assert replay(store, hook.id).identical  # the hook's evaluation replays byte for byte
    finally:
        store.close()


def test_malformed_feedback_is_400_naming_the_field(base: str, client: httpx.Client) -> None:
    response = client.post(
        f"{base}/cds-services/foot-drop/feedback",
        json={"feedback": [{"card": "x", "outcome": "accepted", "outcomeTimestamp": "soon"}]},
    )
    assert response.status_code == 400
    assert set(violations(response)) == {
        "feedback[0].acceptedSuggestions",
        "feedback[0].outcomeTimestamp",
    }


def test_tokens_guard_the_hooks_but_not_discovery(secured: str, client: httpx.Client) -> None:
    url = f"{secured}/cds-services/foot-drop"
    missing = client.post(url, json=hook_body(PERONEAL))
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    wrong = client.post(url, json=hook_body(PERONEAL), headers={"authorization": "Bearer nope"})
    assert wrong.status_code == 401
    denied = client.post(
        url, json=hook_body(PERONEAL), headers={"authorization": f"Bearer {READ_ONLY}"}
    )
    assert denied.status_code == 403
    ok = client.post(url, json=hook_body(PERONEAL), headers={"authorization": f"Bearer {TOKEN}"})
    cards_of(ok)
    assert client.get(f"{secured}/cds-services").status_code == 200


def test_cors_preflight_for_the_sandbox(base: str, client: httpx.Client) -> None:
    response = client.options(
        f"{base}/cds-services/foot-drop",
        headers={
            "origin": "https://sandbox.cds-hooks.org",
            "access-control-request-method": "POST",
            "access-control-request-headers": "authorization,content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] in ("*", "https://sandbox.cds-hooks.org")


def test_questionnaire_is_valid_fhir_and_uses_case_paths(base: str, client: httpx.Client) -> None:
    body = client.get(f"{base}/fhir/Questionnaire/foot-drop").json()
    Questionnaire.model_validate(body)
    links: dict[str, dict[str, Any]] = {}

    def collect(items: list[dict[str, Any]]) -> None:
        for item in items:
            links[item["linkId"]] = item
            collect(item.get("item", []))

    collect(body["item"])
    for path in ("presentation.onset", "exam.right.ankle_dorsiflexion", "history.antiplatelet"):
        assert path in links
    onset = [o["valueCoding"]["code"] for o in links["presentation.onset"]["answerOption"]]
    assert "ONSET_SUDDEN" in onset
    assert links["exam.left.sensory_loss"]["repeats"] is True
    assert links["exam.left.ankle_dorsiflexion"]["type"] == "integer"
    assert links["results.hba1c_percent"]["type"] == "decimal"
    expected = {p.replace("[]", "") for p, _ in case_fields.walk()} - {"case_id"}
    assert set(links) == expected


def test_a_flat_response_reads_like_a_grouped_one() -> None:
    grouped = response_from_case(PERONEAL)
    flat: list[dict[str, Any]] = []

    def flatten(items: list[dict[str, Any]]) -> None:
        for item in items:
            if "answer" in item:
                flat.append({"linkId": item["linkId"], "answer": item["answer"]})
            flatten(item.get("item", []))

    flatten(grouped["item"])
    assert read_response({**grouped, "item": flat}).case == read_response(grouped).case


def test_unknown_link_ids_are_named_not_dropped() -> None:
    item = {"linkId": "exam.left.big_toe", "answer": [{"valueInteger": 3}]}
    response = {"resourceType": "QuestionnaireResponse", "status": "completed", "item": [item]}
    reading = read_response(response)
    assert reading.unused == ["QuestionnaireResponse item 'exam.left.big_toe': no case field"]


def test_guidance_response_is_valid_fhir(base: str, client: httpx.Client) -> None:
    params = {
        "resourceType": "Parameters",
        "parameter": [
            {"name": "data", "resource": response_from_case(CAUDA)},
            {"name": "subject", "valueString": "p1"},
        ],
    }
    response = client.post(f"{base}/fhir/$evaluate", json=params)
    assert response.status_code == 200, response.text
    guidance = response.json()
    GuidanceResponse.model_validate(guidance)
    group = RequestGroup.model_validate(guidance["contained"][0])
    assert group.action is not None and group.action[0].priority == "stat"
    assert guidance["subject"] == {"reference": "Patient/p1"}
    operation = client.get(f"{base}/fhir/$evaluate")
    assert operation.json()["resourceType"] == "OperationDefinition"


def test_every_golden_case_survives_the_questionnaire_round_trip() -> None:
    from tests.golden import CASES_DIR

    for path in sorted(CASES_DIR.glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        response = response_from_case(case, "p1")
        QuestionnaireResponse.model_validate(response)
        case.pop("case_id", None)
        assert read_response(response).case == case, path.name


def test_hook_instance_becomes_the_case_id(
    base: str, client: httpx.Client, audit_path: Path
) -> None:
    body = hook_body(PERONEAL)
    body["hookInstance"] = instance = str(uuid.uuid4())
    cards_of(client.post(f"{base}/cds-services/foot-drop", json=body))
    store = open_store(audit_path)
    try:
        record = next(r for r in store.latest(50) if r.case_id == instance)
        request = foot_drop_service_pb2.EvaluateRequest.FromString(record.request)
        assert request.case.patient.age_years == 34
    finally:
        store.close()


def test_a_body_that_never_arrives_is_408_and_the_door_stays_open(evaluator: Evaluator) -> None:
    with front_door(FrontDoor(evaluator, receive_timeout=0.5)) as url:
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            sock.sendall(
                b"POST /cds-services/foot-drop HTTP/1.1\r\nHost: x\r\n"
                b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
            )
            reply = sock.recv(4096)
        assert reply.startswith(b"HTTP/1.1 408")
        with httpx.Client(timeout=30) as client:
            cards_of(client.post(f"{url}/cds-services/foot-drop", json=hook_body(PERONEAL)))


def test_order_select_agrees_with_a_suggested_order_as_the_sandbox_sends_it(
    base: str, client: httpx.Client
) -> None:
    """The CDS Hooks sandbox's PAMA Imaging view: a draft ServiceRequest coded in CPT."""
    study = {
        "code": "72148",
        "display": "Magnetic resonance (eg, proton) imaging, spinal canal and contents, lumbar; "
        "without contrast material",
        "system": "http://www.ama-assn.org/go/cpt",
    }
    order = {
        "resourceType": "ServiceRequest",
        "id": "example-request-id",
        "status": "draft",
        "intent": "plan",
        "code": {"coding": [study], "text": study["display"]},
        "subject": {"reference": "Patient/p1"},
    }
    body = hook_body(
        CAUDA,
        hook="order-select",
        selections=["ServiceRequest/example-request-id"],
        draftOrders={"resourceType": "Bundle", "entry": [{"resource": order}]},
    )
    cards = cards_of(client.post(f"{base}/cds-services/foot-drop-orders", json=body))
    assert cards[0]["indicator"] == "critical"  # the cauda equina alert comes first
    check = next(c for c in cards if c["source"]["topic"]["code"] == "TEST_MRI_LUMBAR_SPINE")
    assert check["indicator"] == "info"
    assert check["summary"] == "MRI lumbar spine is suggested for this case (emergency)"


def test_data_about_another_patient_is_refused(base: str, client: httpx.Client) -> None:
    body = hook_body(PERONEAL)
    body["prefetch"]["patient"] = patient("someone-else")
    body["prefetch"][ASSESSMENT_KEY]["subject"] = {"reference": "Patient/someone-else"}
    response = client.post(f"{base}/cds-services/foot-drop", json=body)
    assert response.status_code == 400
    assert set(violations(response)) == {"prefetch.patient", f"prefetch.{ASSESSMENT_KEY}"}


def test_http_logs_carry_no_patient_data(
    base: str, client: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    case = copy.deepcopy(PERONEAL)
    case["medications"] = [{"name": "vincristine"}]
    body = hook_body(case)
    body["context"]["patientId"] = "patient-7f3a9"
    body["prefetch"]["patient"] = patient("patient-7f3a9", birthDate="1991-03-14")
    body["prefetch"][ASSESSMENT_KEY]["subject"] = {"reference": "Patient/patient-7f3a9"}
    with caplog.at_level("DEBUG"):
        cards_of(client.post(f"{base}/cds-services/foot-drop", json=body))
        bad = copy.deepcopy(body)
        bad["prefetch"]["patient"]["birthDate"] = "1991-13-14"
        assert client.post(f"{base}/cds-services/foot-drop", json=bad).status_code == 400
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert body["hookInstance"] in text  # the call is logged, by its opaque id
    for secret in ("patient-7f3a9", "1991", "vincristine", "squatting", "ankle"):
        assert secret not in text


def test_example_hook_requests_are_current_and_give_cards(base: str, client: httpx.Client) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    from hook_request import example_requests

    for path, text in example_requests().items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path}: run scripts/hook_request.py --write-examples"
        )
        cards_of(client.post(f"{base}/cds-services/foot-drop", content=text.encode(),
                             headers={"content-type": "application/json"}))  # fmt: skip


def test_cards_link_from_the_public_url_behind_a_proxy(evaluator: Evaluator) -> None:
    public = "https://cdss.example.org/foot-drop"
    with front_door(FrontDoor(evaluator, public_url=public)) as url, httpx.Client() as client:
        cards = cards_of(client.post(f"{url}/cds-services/foot-drop", json=hook_body(PERONEAL)))
    assert {c["links"][0]["url"] for c in cards} == {f"{public}/rules"}


def test_only_the_latest_assessment_is_read(base: str, client: httpx.Client) -> None:
    latest = {**response_from_case(PERONEAL, "p1"), "id": "new", "authored": "2026-11-30T10:00:00Z"}
    older_case = copy.deepcopy(PERONEAL)
    older_case["exam"]["left"]["ankle_dorsiflexion"] = 5
    older = {**response_from_case(older_case, "p1"), "id": "old", "authored": "2026-10-01"}
    body = hook_body(PERONEAL)
    body["prefetch"][ASSESSMENT_KEY] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [{"resource": older}, {"resource": latest}],
    }
    cards = cards_of(client.post(f"{base}/cds-services/foot-drop", json=body))
    unused = next(c for c in cards if c["source"]["topic"]["code"] == "unused")
    assert "QuestionnaireResponse/old (2026-10-01): an older assessment" in unused["detail"]
    differential = next(c for c in cards if c["source"]["topic"]["code"] == "differential")
    assert differential["summary"].startswith("Differential: peroneal neuropathy")


def test_hook_calls_are_counted_in_the_metrics(base: str, client: httpx.Client) -> None:
    """CDS Hooks traffic is in the same metrics as gRPC: calls, latency, alerts, rules."""
    from cdss.metrics import LATENCY, REQUESTS, RULE_FIRINGS

    method = "HTTP POST /cds-services/foot-drop"
    calls = REQUESTS.labels(method, "OK")
    before = calls._value.get()
    rule = RULE_FIRINGS.labels("R27")  # peroneal pattern: behind the example's leading cause
    fired = rule._value.get()
    cards_of(client.post(f"{base}/cds-services/foot-drop", json=hook_body(PERONEAL)))
    assert calls._value.get() == before + 1
    assert rule._value.get() == fired + 1
    assert LATENCY.labels(method)._sum.get() > 0
