"""Logs carry the case id, a hash, the caller and timings only; deadlines are honoured."""

from __future__ import annotations

import copy
import logging
import re
import time

import grpc
import pytest

from cdss._proto import foot_drop_service_pb2_grpc
from cdss.decision import Detail
from cdss.evaluator import Evaluator
from tests.conftest import PERONEAL_CASE, evaluate_request

LOG_LINE = re.compile(
    r"^evaluate (ok|[A-Z_]+) case_id=\S+ case_sha256=[0-9a-f]{16} caller=\S+ ms=\d+\.\d\d$"
)


def test_no_patient_data_in_logs(
    stub: foot_drop_service_pb2_grpc.FootDropDecisionSupportStub, caplog: pytest.LogCaptureFixture
) -> None:
    data = copy.deepcopy(PERONEAL_CASE)
    data["case_id"] = "opaque-77"
    data["medications"] = [{"name": "zz-unique-drug-name", "days_since_start": 4242}]
    data["patient"]["age_years"] = 93
    bad = copy.deepcopy(data)
    bad["exam"]["left"]["ankle_dorsiflexion"] = 8
    with caplog.at_level(logging.DEBUG):
        stub.Evaluate(evaluate_request(data), timeout=10)
        with pytest.raises(grpc.RpcError):
            stub.Evaluate(evaluate_request(bad), timeout=10)
    messages = [r.getMessage() for r in caplog.records if r.name.startswith("cdss")]
    assert len([m for m in messages if "case_id=opaque-77 " in m]) == 2
    for message in messages:
        assert LOG_LINE.match(message), message
        # the line format admits nothing but the id, a hex hash, the caller and the time, so
        # no case content can appear; spot-check a few values anyway (not numbers: the hash
        # and the timing may contain any digits)
        for secret in ("zz-unique-drug-name", "ankle", "PERONEAL", "SIDE_LEFT", "SEX_"):
            assert secret not in message


def test_deadline_exceeded_abandons_the_work(
    stub: foot_drop_service_pb2_grpc.FootDropDecisionSupportStub,
    evaluator: Evaluator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original = evaluator.evaluate

    def slow(case, detail=Detail.FULL):
        time.sleep(0.4)
        return original(case, detail)

    monkeypatch.setattr(evaluator, "evaluate", slow)
    started = time.monotonic()
    with pytest.raises(grpc.RpcError) as info:
        stub.Evaluate(evaluate_request(PERONEAL_CASE), timeout=0.1)
    assert isinstance(info.value, grpc.Call)
    assert info.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    assert time.monotonic() - started < 0.35  # the client is not kept waiting
