"""Golden cases through the real gRPC stack (in-process server on port 0)."""

from __future__ import annotations

import pytest

from cdss._proto import foot_drop_service_pb2, foot_drop_service_pb2_grpc
from tests.golden import GoldenCase, check, load_cases

CASES = load_cases()


def test_golden_suite_is_large_and_covers_every_cause() -> None:
    from cdss.vocabulary import CauseCategory

    assert len(CASES) >= 60
    counts = {c.value: 0 for c in CauseCategory}
    for g in CASES:
        counts[g.category] += 1
    assert all(n >= 2 for n in counts.values()), counts


@pytest.mark.parametrize("golden", CASES, ids=[g.stem for g in CASES])
def test_golden_case(
    golden: GoldenCase, stub: foot_drop_service_pb2_grpc.FootDropDecisionSupportStub
) -> None:
    resp = stub.Evaluate(foot_drop_service_pb2.EvaluateRequest(case=golden.case), timeout=10)
    outcome = check(golden, resp)
    assert outcome.passed, f"{golden.stem}: {outcome.failures}; ranked {outcome.ranked}"
