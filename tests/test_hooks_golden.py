"""The golden cases through gRPC and through CDS Hooks give the same alerts (kind and urgency,
in order) and the same leading causes (name, likelihood and certainty)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from google.protobuf import json_format

from cdss._proto import decision_pb2, foot_drop_service_pb2
from cdss.evaluator import Evaluator
from cdss.http.app import FrontDoor
from cdss.http.cards import INDICATOR, display, summary
from tests.golden import CASES_DIR
from tests.hooks_support import front_door, hook_body

CASES = sorted(CASES_DIR.glob("*.json"))


@pytest.fixture(scope="module")
def base(evaluator: Evaluator) -> Iterator[str]:
    with front_door(FrontDoor(evaluator)) as url:
        yield url


def _leading(resp: foot_drop_service_pb2.EvaluateResponse) -> str:
    return ", then ".join(
        f"{display(decision_pb2.CauseCategory.Name(c.category))} "
        f"({display(decision_pb2.Likelihood.Name(c.likelihood))}, {c.certainty:.2f})"
        for c in resp.causes[:2]
    )


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_grpc_and_cds_hooks_agree(path: Any, base: str, stub: Any) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    request = foot_drop_service_pb2.EvaluateRequest()
    json_format.ParseDict({"case": data}, request)
    resp = stub.Evaluate(request, timeout=10)
    with httpx.Client(timeout=30) as client:
        answer = client.post(f"{base}/cds-services/foot-drop", json=hook_body(data))
    assert answer.status_code == 200, answer.text
    cards = answer.json()["cards"]
    via_hooks = [
        (c["source"]["topic"]["code"], c["indicator"])
        for c in cards
        if c["source"]["topic"]["code"].startswith("ALERT_KIND_")
    ]
    via_grpc = [(decision_pb2.AlertKind.Name(a.kind), INDICATOR[a.urgency]) for a in resp.alerts]
    assert via_hooks == via_grpc
    differential = next(c for c in cards if c["source"]["topic"]["code"] == "differential")
    head = "Not excluded" if resp.under_documented else "Differential"
    assert differential["summary"] == summary(f"{head}: {_leading(resp)}")
    assert resp.causes[0].rule_ids[0] in differential["detail"] or not resp.causes[0].rule_ids
