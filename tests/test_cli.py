"""The command-line client, in-process (main(argv) returns the exit code)."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest

from cdss.cli import main
from tests.conftest import FIXTURES, ROOT

EXAMPLE = ROOT / "examples" / "peroneal-compression.json"
SHARED_EXAMPLE = FIXTURES / "shared-example-peroneal.json"


def test_evaluate_prints_a_readable_report(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # wide enough that no phrase wraps in a table cell
    assert main(["evaluate", str(SHARED_EXAMPLE)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Leading cause: peroneal neuropathy (likely" in out
    assert "Peroneal neuropathy" in out and "(R27 +0.60)" in out
    assert "right ankle inversion MRC 5" in out  # the facts behind the rule, in words
    assert out.index("Alerts") < out.index("Differential") < out.index("Tests to consider")


def test_evaluate_against_a_running_server(target: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(EXAMPLE), "--server", target]) == 0
    assert "Peroneal neuropathy" in capsys.readouterr().out


def test_json_output_uses_the_contract_names(
    target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evaluate", str(SHARED_EXAMPLE), "--server", target, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["causes"][0]["category"] == "CAUSE_PERONEAL_NEUROPATHY"
    assert {"certainty", "explanation", "rule_ids", "facts"} <= set(data["causes"][0])
    assert set(data["ruleset_version"]) == {"version", "content_hash"}
    for key in ("alerts", "treatments", "intended_use"):
        assert key in data
    assert {"summary", "urgency", "rule_ids"} <= set(data["alerts"][0])
    assert {"treatment", "explanation", "rule_ids"} <= set(data["treatments"][0])
    assert data["trace"] == [] and data["why_not"] == []  # the default detail: STANDARD
    assert main(["evaluate", str(SHARED_EXAMPLE), "--server", target, "--json", "--trace"]) == 0
    full = json.loads(capsys.readouterr().out)
    assert full["trace"] and full["why_not"]  # --trace asks for FULL
    assert {**full, "trace": [], "why_not": []} == data  # nothing else moves


def test_why_not_and_trace(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(EXAMPLE), "--why-not", "--trace"]) == 0
    out = capsys.readouterr().out
    assert "Why not the other causes" in out and "L5 radiculopathy (certainty" in out
    assert "Trace (every rule that fired" in out and " R24 v1 " in out


def test_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "no-such-case.json"]) == 1
    assert "cannot read case file no-such-case.json" in capsys.readouterr().err


def test_not_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert main(["evaluate", str(bad)]) == 1
    assert "is not a valid case" in capsys.readouterr().err


def test_unknown_field_name_in_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(EXAMPLE.read_text())
    data["exam"]["left"]["ankle_dorsiflexon"] = 2
    data["history"]["lowbackpain"] = True
    data["presentation"]["sde"] = "SIDE_LEFT"
    bad = tmp_path / "typo.json"
    bad.write_text(json.dumps(data))
    assert main(["evaluate", str(bad)]) == 1
    err = capsys.readouterr().err
    # every unknown field at once, by its contract (snake_case) path, with the likely name
    assert "exam.left.ankle_dorsiflexon: no such field (did you mean ankle_dorsiflexion?)" in err
    assert "history.lowbackpain: no such field (did you mean low_back_pain?)" in err
    assert "presentation.sde: no such field (did you mean side?)" in err
    assert "ankleDorsiflexion" not in err and "Available Fields" not in err


def test_impossible_value_lists_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(EXAMPLE.read_text())
    data["exam"]["left"]["ankle_dorsiflexion"] = 7
    bad = tmp_path / "mrc7.json"
    bad.write_text(json.dumps(data))
    assert main(["evaluate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert (
        "INVALID_ARGUMENT" in err
        and "exam.left.ankle_dorsiflexion: MRC grade must be 0-5, not 7" in err
    )
    assert err.count("MRC grade must be 0-5, not 7") == 1  # each field error once


def test_unreachable_server(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert main(["evaluate", str(EXAMPLE), "--server", f"127.0.0.1:{port}", "--timeout", "3"]) == 1
    assert f"cannot reach the server at 127.0.0.1:{port}" in capsys.readouterr().err


def test_usage_error_exits_2() -> None:
    with pytest.raises(SystemExit) as info:
        main(["evaluate"])
    assert info.value.code == 2


def test_rules_check_and_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "check"]) == 0
    assert "active" in capsys.readouterr().out
    assert main(["rules", "list"]) == 0
    assert "R27 " in capsys.readouterr().out


def test_an_under_documented_case_says_so_first_and_lists_what_must_not_be_missed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Triage-level input (a sudden left foot drop, nothing else): never an empty answer."""
    case = tmp_path / "sparse.json"
    case.write_text(json.dumps({"presentation": {"side": "SIDE_LEFT", "onset": "ONSET_SUDDEN"}}))
    monkeypatch.setenv("COLUMNS", "120")
    assert main(["evaluate", str(case)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("EMERGENCY: possible acute stroke - act now")
    assert lines[1].startswith("UNDER-DOCUMENTED CASE: no recorded finding supports a cause")
    out = "\n".join(lines)
    assert re.search(r"│ 1 │ Stroke +│ not excluded", out)
    assert "Would settle it:" in out
    assert "Withdrawn only when recorded: hours since onset (or last known well)" in out


def test_rules_impact_shows_which_answers_a_rule_change_moves(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A copy of the rule base whose stroke-window red flag is only URGENT: the impact report
    names the cases whose stroke alert it moves, and the summary counts them."""
    import shutil

    old = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", old)
    red = old / "65-red-flags.yaml"
    text = red.read_text(encoding="utf-8")
    start = text.index("  - id: R202\n")
    urgent = text[start:].replace("urgency: URGENCY_EMERGENCY", "urgency: URGENCY_URGENT", 1)
    red.write_text(text[:start] + urgent)
    assert main(["rules", "impact", "--against", str(old)]) == 0
    out = capsys.readouterr().out
    assert "safety_s1_01_sudden_isolated_foot_drop_2h: " in out
    assert "alerts +acute_stroke:emergency" in out  # present now, absent in the other rule base
    assert "answers changed" in out
    assert "top-1 review holdout: before -> after" in out


def test_rules_impact_refuses_an_unknown_revision(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "impact", "--against", "no-such-revision"]) == 1
    assert "neither a rules directory nor a git revision" in capsys.readouterr().err
