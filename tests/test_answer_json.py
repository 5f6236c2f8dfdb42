"""`evaluate --json`: every field, numbers as numbers, one rounding, stable ids."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import pytest

from cdss.cli import main, read_case
from tests.conftest import ROOT

CAUDA = ROOT / "examples" / "cauda-equina.json"
PERONEAL = ROOT / "examples" / "peroneal-compression.json"


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["evaluate", *args, "--json"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def _numbers(data: object) -> list[float]:
    if isinstance(data, float):
        return [data]
    if isinstance(data, list):
        return [n for x in data for n in _numbers(x)]
    if isinstance(data, dict):
        return [n for x in data.values() for n in _numbers(x)]
    return []


def test_every_field_even_when_empty(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, str(PERONEAL))
    assert data["tests"] == [] and data["conflicts"] == []  # empty lists are there
    assert data["under_documented"] is False
    for key in ("alerts", "causes", "treatments", "requests", "not_assessed", "withheld", "trace"):
        assert isinstance(data[key], list)
    assert data["software_version"] and data["ruleset_version"]["content_hash"].startswith(
        "sha256:"
    )


def test_values_are_typed_and_rounded_once(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, str(CAUDA), "--why-not")
    facts = {
        f["name"]: f["value"]
        for c in data["causes"]
        for ref in c["supporting"] + c["against"]
        for f in ref["facts"]
    }
    assert facts["exam.left.ankle_dorsiflexion"] == 3  # a number, not "3"
    assert facts["history.low_back_pain"] is True
    assert facts["exam.left.ankle_reflex"] == "REFLEX_ABSENT"
    for n in _numbers(data):
        assert n == round(n, 3)
    text = json.dumps(data)
    assert not re.search(r"\d\.\d{4,}", text)
    alert_facts = [f for a in data["alerts"] for f in a["facts"]]
    assert any(f["value"] is None for f in alert_facts)  # "not recorded" is null


def test_items_have_stable_ids_and_labels(capsys: pytest.CaptureFixture[str]) -> None:
    first = _json(capsys, str(CAUDA))
    again = _json(capsys, str(CAUDA))
    items = [
        *first["alerts"], *first["causes"], *first["tests"], *first["treatments"],
        *first["requests"], *first["withheld"],
    ]  # fmt: skip
    ids = [i["id"] for i in items]
    assert len(ids) == len(set(ids)) and all(ids)
    assert ids == [
        i["id"]
        for i in [
            *again["alerts"], *again["causes"], *again["tests"], *again["treatments"],
            *again["requests"], *again["withheld"],
        ]
    ]  # fmt: skip
    assert "alert/ACUTE_STROKE/R202" in ids and "test/MRI_LUMBAR_SPINE" in ids
    assert first["tests"][0]["label"] == "MRI of the lumbosacral spine"
    case = read_case(CAUDA)
    digest = hashlib.sha256(case.SerializeToString(deterministic=True)).hexdigest()[:16]
    assert first["request_id"] == digest  # the case_sha256 of the logs and the audit record


def test_proto_json_is_the_plain_mapping(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(PERONEAL), "--proto-json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "tests" not in data  # protobuf's mapping leaves empty lists out
    assert data["causes"][0]["supporting"][0]["facts"][0]["value"] == "2"
