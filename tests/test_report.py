"""The clinician's report: clinical words only, fits the terminal, honours NO_COLOR."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from google.protobuf import json_format

from cdss._proto import case_pb2, foot_drop_service_pb2
from cdss.answer import answer
from cdss.cli import main
from cdss.config import MAX_CASE_BYTES
from cdss.evaluator import Evaluator
from cdss.report import render_text
from tests.conftest import ROOT

CAUDA = ROOT / "examples" / "cauda-equina.json"
PERONEAL = ROOT / "examples" / "peroneal-compression.json"
CASE_FILES = sorted(
    p
    for d in ("cases", "cases_review", "cases_safety")
    for p in (ROOT / "tests" / d).glob("*.json")
)
# an enum name, a rule-file fact (A.x, O.x), a case path or a cause code as the answer has them
INTERNAL = re.compile(
    r"\b(?:SENSORY_REGION|PAIN_SITE|CAUSE|TREATMENT|TEST|ALERT_KIND|URGENCY|LIKELIHOOD|REFLEX"
    r"|PLANTAR|TONE|SIDE|ONSET|COURSE|EMG_PATTERN|LUMBAR_MRI|BRAIN_MRI|CORD_MRI|BRAIN_CT"
    r"|PELVIC_CT|KNEE_IMAGING|SEX|LEG)_[A-Z]"
    r"|\b[AO]\.[a-z]|\bexam\.(?:left|right|general|affected_leg)\.|\b(?:history|presentation"
    r"|results|patient|general)\.[a-z]|\bcause CAUSE_|\bF_[A-Z]"
)
ESCAPE = re.compile(r"\x1b\[")
COLOUR = re.compile(r"\x1b\[[0-9;]*(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9;]*)?m")


def _answer(evaluator: Evaluator, path: Path) -> foot_drop_service_pb2.EvaluateResponse:
    case = json_format.Parse(path.read_text(encoding="utf-8"), case_pb2.Case())
    request = foot_drop_service_pb2.EvaluateRequest(
        case=case, detail=foot_drop_service_pb2.DETAIL_FULL
    )
    return answer(evaluator, request, MAX_CASE_BYTES)  # FULL: the why-not and trace views


def test_no_internal_code_in_any_library_case(evaluator: Evaluator) -> None:
    """Every case of the library, with why-not: the plain report is in clinical words."""
    assert len(CASE_FILES) > 100
    for path in CASE_FILES:
        text = render_text(_answer(evaluator, path), width=100, why_not=True)
        found = INTERNAL.findall(text)
        assert not found, f"{path.name}: {found[:5]}"
        assert "[R95b, R95b]" not in text


@pytest.mark.parametrize("width", [60, 80, 120])
def test_the_report_fits_the_terminal(
    width: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert main(["evaluate", str(CAUDA), "--why-not"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= width
    assert lines[0].startswith("EMERGENCY: possible cauda equina syndrome")
    assert not ESCAPE.search(out)  # a pipe: plain text
    assert not INTERNAL.findall(out)
    # alerts first, then the differential, the tests, the findings to collect
    order = ["Alerts", "Differential", "Tests to consider", "Findings to collect next"]
    assert [out.index(h) for h in order] == sorted(out.index(h) for h in order)
    if width >= 120:
        assert "MRI of the lumbosacral spine" in out and "EMG and nerve" in out
    # the intended use is one line (with a pointer to the whole statement)
    flat = " ".join(out.split())
    assert "full statement: --intended-use)" in flat
    assert "must not be used by patients" not in flat


def test_colour_on_a_terminal_and_none_with_no_color(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("FORCE_COLOR", "1")  # as on a terminal
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert main(["evaluate", str(CAUDA)]) == 0
    coloured = capsys.readouterr().out
    assert COLOUR.search(coloured)
    monkeypatch.setenv("NO_COLOR", "1")
    assert main(["evaluate", str(CAUDA)]) == 0
    plain = capsys.readouterr().out
    assert not COLOUR.search(plain)
    assert "EMERGENCY" in plain


def test_the_findings_read_as_a_clinician_writes_them(evaluator: Evaluator) -> None:
    text = render_text(_answer(evaluator, PERONEAL), width=200)  # wide: no phrase wraps
    assert text.splitlines()[0].startswith(
        "No emergency or urgent red flags (1 routine alert). Leading cause: peroneal neuropathy"
    )
    for words in (
        "left ankle dorsiflexion MRC 2",
        "left sensory loss over the dorsum of the foot and lateral leg",
        "Tinel sign at the fibular head (left leg)",
        "Ankle-foot orthosis",
        "External peroneal nerve stimulation and implanted peroneal nerve stimulator",
    ):
        assert words in text, words
    assert text.count("rule R95b") == 1  # one reason, both items, the rule once


def test_could_not_be_judged_is_counted_not_listed(evaluator: Evaluator, tmp_path: Path) -> None:
    case = tmp_path / "sparse.json"
    case.write_text(json.dumps({"presentation": {"side": "SIDE_LEFT"}}))
    text = render_text(_answer(evaluator, case), width=100)
    section = text[text.index("Could not be judged") :]
    assert re.search(r"Onset .* not recorded \(\d+ rules could not apply\)", section)
    assert not re.search(r"R\d+, R\d+", section)


def test_why_not_groups_the_causes_nothing_speaks_to(evaluator: Evaluator) -> None:
    text = render_text(_answer(evaluator, CAUDA), width=100, why_not=True)
    section = text[text.index("Why not the other causes") :]
    assert section.count("No rule for or against:") == 1
    assert "nothing in the case supports or lowers it" not in section
    assert "lowered by" in section and "(R12a -0.30)" in section
