"""Detail levels (EvaluateRequest.detail): every level gives the same items; lower levels leave
out only what their proto comment says, and never change what they keep."""

from __future__ import annotations

import grpc
import pytest
from google.protobuf import json_format

from cdss._proto import foot_drop_service_pb2 as pb
from cdss._proto import foot_drop_service_pb2_grpc
from cdss.convert import case_from_proto, response_from_decision
from cdss.evaluator import Evaluator
from tests.golden import CASES_DIR, REVIEW_DIR, SAFETY_DIR, load_cases
from tests.test_bad_input import violations

Stub = foot_drop_service_pb2_grpc.FootDropDecisionSupportStub
CASES = load_cases(CASES_DIR) + load_cases(REVIEW_DIR) + load_cases(SAFETY_DIR)


def _evaluate(stub: Stub, case: object, detail: int | None) -> pb.EvaluateResponse:
    request = pb.EvaluateRequest(case=case)  # type: ignore[arg-type]
    if detail is not None:
        request.detail = detail  # type: ignore[assignment]
    return stub.Evaluate(request, timeout=30)


def _without(resp: pb.EvaluateResponse, *fields: str) -> pb.EvaluateResponse:
    out = pb.EvaluateResponse()
    out.CopyFrom(resp)
    for f in fields:
        out.ClearField(f)
    return out


def _strip_facts(resp: pb.EvaluateResponse) -> pb.EvaluateResponse:
    """The response with the facts behind causes, tests and treatments removed, and the
    requests' what-if ranking undone (as SUMMARY leaves them)."""
    out = _without(resp, "trace", "why_not")
    for c in out.causes:
        c.ClearField("facts")
        for r in (*c.supporting, *c.against):
            r.ClearField("facts")
    for t in out.tests:
        t.ClearField("facts")
    for tr in out.treatments:
        tr.ClearField("facts")
    return out


@pytest.mark.slow
def test_each_level_keeps_what_full_gives_over_grpc(stub: Stub, evaluator: Evaluator) -> None:
    for g in CASES:
        full = _evaluate(stub, g.case, pb.DETAIL_FULL)
        default = _evaluate(stub, g.case, None)
        standard = _evaluate(stub, g.case, pb.DETAIL_STANDARD)
        summary = _evaluate(stub, g.case, pb.DETAIL_SUMMARY)
        # FULL over gRPC is the in-process full answer, byte for byte
        direct = response_from_decision(evaluator.evaluate(case_from_proto(g.case)))
        assert full.SerializeToString(deterministic=True) == direct.SerializeToString(
            deterministic=True
        ), g.stem
        # the default is STANDARD: FULL without the trace and why-not, nothing else moved
        assert default == standard, g.stem
        assert standard == _without(full, "trace", "why_not"), g.stem
        assert not standard.trace and not standard.why_not
        if full.causes:
            assert full.trace  # something fired: FULL spells it out
        # SUMMARY: the same items without their facts; requests unranked
        assert _without(summary, "requests") == _without(_strip_facts(full), "requests"), g.stem

        def asked(resp: pb.EvaluateResponse) -> dict[tuple[str, ...], tuple[object, ...]]:
            return {
                tuple(r.fields): (r.question, r.urgency, tuple(r.rule_ids), tuple(r.separates))
                for r in resp.requests
            }

        assert asked(summary) == asked(full), g.stem
        assert all(r.expected_change == 0 for r in summary.requests)
        assert summary.ByteSize() <= standard.ByteSize() <= full.ByteSize()


def test_standard_is_much_smaller_than_full(stub: Stub) -> None:
    full = sum(_evaluate(stub, g.case, pb.DETAIL_FULL).ByteSize() for g in CASES[:40])
    default = sum(_evaluate(stub, g.case, None).ByteSize() for g in CASES[:40])
    assert default < 0.7 * full


def test_an_unknown_detail_level_is_invalid_argument_naming_the_field(stub: Stub) -> None:
    with pytest.raises(grpc.RpcError) as info:
        _evaluate(stub, CASES[0].case, 7)
    assert violations(info.value).keys() == {"detail"}


def test_the_detail_level_is_documented_in_the_json_names(stub: Stub) -> None:
    request = json_format.Parse(
        '{"detail": "DETAIL_SUMMARY", "case": {"case_id": "x"}}', pb.EvaluateRequest()
    )
    assert request.detail == pb.DETAIL_SUMMARY
    assert stub.Evaluate(request, timeout=30).case_id == "x"
