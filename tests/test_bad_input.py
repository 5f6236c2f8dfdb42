"""Impossible input reaches INVALID_ARGUMENT naming every bad field; the server keeps serving."""

from __future__ import annotations

import copy
from typing import Any

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from cdss._proto import case_pb2, decision_pb2, foot_drop_service_pb2, foot_drop_service_pb2_grpc
from tests.conftest import PERONEAL_CASE, case_message

Stub = foot_drop_service_pb2_grpc.FootDropDecisionSupportStub


def violations(exc: grpc.RpcError) -> dict[str, str]:
    assert isinstance(exc, grpc.Call)
    assert exc.code() == grpc.StatusCode.INVALID_ARGUMENT, exc.details()
    status = rpc_status.from_call(exc)
    assert status is not None
    out: dict[str, str] = {}
    for detail in status.details:
        bad = error_details_pb2.BadRequest()
        assert detail.Unpack(bad)
        out.update({v.field: v.description for v in bad.field_violations})
    return out


def evaluate_raw(stub: Stub, case: case_pb2.Case) -> foot_drop_service_pb2.EvaluateResponse:
    resp: foot_drop_service_pb2.EvaluateResponse = stub.Evaluate(
        foot_drop_service_pb2.EvaluateRequest(case=case), timeout=10
    )
    return resp


def with_change(path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(PERONEAL_CASE)
    node = data
    *parents, last = path.split(".")
    for p in parents:
        node = node.setdefault(p, {})
    node[last] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        ("exam.left.ankle_dorsiflexion", 7, "exam.left.ankle_dorsiflexion"),
        ("exam.right.hip_abduction", -1, "exam.right.hip_abduction"),
        ("patient.age_years", -3, "patient.age_years"),
        ("patient.age_years", 150, "patient.age_years"),
        ("presentation.days_since_onset", -1, "presentation.days_since_onset"),
        ("results.hba1c_percent", 80.0, "results.hba1c_percent"),
        ("results.compartment_pressure_mmhg", -5.0, "results.compartment_pressure_mmhg"),
        ("exam.general.diastolic_bp_mmhg", 900.0, "exam.general.diastolic_bp_mmhg"),
    ],
)
def test_impossible_values_name_the_field(stub: Stub, path: str, value: Any, field: str) -> None:
    with pytest.raises(grpc.RpcError) as info:
        evaluate_raw(stub, case_message(with_change(path, value)))
    assert field in violations(info.value)


def test_every_bad_field_is_listed_at_once(stub: Stub) -> None:
    data = with_change("exam.left.ankle_dorsiflexion", 9)
    data["patient"]["age_years"] = -1
    with pytest.raises(grpc.RpcError) as info:
        evaluate_raw(stub, case_message(data))
    assert {"exam.left.ankle_dorsiflexion", "patient.age_years"} <= set(violations(info.value))


def test_unknown_enum_number(stub: Stub) -> None:
    case = case_message(PERONEAL_CASE)
    case.presentation.onset = 42  # type: ignore[assignment]  # an enum number this server does not know
    case.exam.left.sensory_loss.append(99)  # type: ignore[arg-type]
    with pytest.raises(grpc.RpcError) as info:
        evaluate_raw(stub, case)
    found = violations(info.value)
    assert "unknown enum value 42" in found["presentation.onset"]
    assert "exam.left.sensory_loss[1]" in found


def test_unspecified_in_a_list(stub: Stub) -> None:
    case = case_message(PERONEAL_CASE)
    case.presentation.pain_sites.append(0)  # type: ignore[arg-type]
    with pytest.raises(grpc.RpcError) as info:
        evaluate_raw(stub, case)
    assert "presentation.pain_sites[0]" in violations(info.value)


def test_contradictory_sensory_examination(stub: Stub) -> None:
    data = with_change("exam.left.sensory_loss", ["SENSORY_REGION_NONE", "SENSORY_REGION_SOLE"])
    with pytest.raises(grpc.RpcError) as info:
        evaluate_raw(stub, case_message(data))
    assert "exam.left.sensory_loss" in violations(info.value)


def test_case_over_the_size_limit(stub: Stub) -> None:
    case = case_message(PERONEAL_CASE)
    for i in range(2000):
        case.medications.add(name=f"drug number {i} with a long name", days_since_start=1)
    with pytest.raises(grpc.RpcError) as info:
        evaluate_raw(stub, case)
    assert "case" in violations(info.value)


def test_too_many_medications(stub: Stub) -> None:
    case = case_message(PERONEAL_CASE)
    for i in range(65):
        case.medications.add(name=f"drug{i}")
    with pytest.raises(grpc.RpcError) as info:
        evaluate_raw(stub, case)
    assert "medications" in violations(info.value)


def test_empty_or_control_character_drug_name(stub: Stub) -> None:
    case = case_message(PERONEAL_CASE)
    case.medications.add(name="  ")
    case.medications.add(name="vincr\x00istine")
    with pytest.raises(grpc.RpcError) as info:
        evaluate_raw(stub, case)
    found = violations(info.value)
    assert "medications[0].name" in found and "medications[1].name" in found


def test_missing_case_is_invalid(stub: Stub) -> None:
    with pytest.raises(grpc.RpcError) as info:
        stub.Evaluate(foot_drop_service_pb2.EvaluateRequest(), timeout=10)
    assert "case" in violations(info.value)


def test_message_over_the_transport_limit_is_refused(stub: Stub) -> None:
    case = case_pb2.Case(case_id="x" * (2 * 1024 * 1024))
    with pytest.raises(grpc.RpcError) as info:
        evaluate_raw(stub, case)
    assert isinstance(info.value, grpc.Call)
    assert info.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED


def test_missing_information_is_not_an_error(stub: Stub) -> None:
    resp = evaluate_raw(stub, case_pb2.Case(case_id="empty"))
    assert resp.causes == [] or all(c.certainty < 0.5 for c in resp.causes)
    assert any("not recorded" in text for text in resp.not_assessed)


def test_server_keeps_serving_after_bad_input(stub: Stub) -> None:
    for value in (7, -1, 99):
        with pytest.raises(grpc.RpcError):
            evaluate_raw(stub, case_message(with_change("exam.left.ankle_dorsiflexion", value)))
    resp = evaluate_raw(stub, case_message(PERONEAL_CASE))
    assert resp.causes[0].category == decision_pb2.CAUSE_PERONEAL_NEUROPATHY
