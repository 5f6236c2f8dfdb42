"""`cdss new-case`: the questions in the terminal, a valid case file, then its evaluation."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from cdss.case_json import parse_case
from cdss.cli import main
from cdss.new_case import Invalid, parse_answer, question

# side: 1) left; onset: 1) sudden; hours since onset: 2; the rest blank, then the left leg:
# dorsiflexion 1, eversion 2, inversion 5 ... ; evaluate: yes
ANSWERS = [
    "1",  # side: left
    "1",  # onset: sudden
    "abc",  # hours since onset: not a number -> asked again
    "2",  # hours since onset
    "", "", "",  # days since onset, course, pain
    "67", "",  # age, sex
    *["n"] * 3,  # bladder or bowel, saddle anaesthesia, anticoagulation
    *[""] * 12,  # the other red flags: not recorded
    "9",  # left ankle dorsiflexion: MRC 9 -> asked again
    "1", "", "", "", "", "",  # dorsiflexion 1; eversion .. hip abduction not examined
    "", "", "2", "",  # ankle reflex, knee reflex, plantar response: extensor, tone
    "",  # sensory loss
    "", "", "", "",  # compartment, passive stretch, pulses, cold limb
    "y",  # evaluate it now
]  # fmt: skip


def test_new_case_asks_writes_a_valid_case_and_evaluates_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "case.json"
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(ANSWERS) + "\n"))
    monkeypatch.setenv("COLUMNS", "120")
    assert main(["new-case", "--output", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Side of the foot drop: 1) left  2) right  3) both legs" in printed
    assert "answer a number from 0 to 24" in printed or "answer a number" in printed
    assert "answer a number from 0 to 5" in printed  # MRC 9 refused, asked again
    data = json.loads(out.read_text())
    assert data["presentation"] == {
        "side": "SIDE_LEFT", "onset": "ONSET_SUDDEN", "hours_since_onset": 2.0
    }  # fmt: skip
    assert data["history"] == {
        "bladder_or_bowel_dysfunction": False, "saddle_anaesthesia": False,
        "anticoagulated": False,
    }  # fmt: skip
    assert data["exam"]["left"] == {"ankle_dorsiflexion": 1, "plantar_response": "PLANTAR_EXTENSOR"}
    parse_case(out.read_text())  # a valid case file
    # then evaluated: a sudden foot drop 2 hours ago is the stroke emergency
    assert "EMERGENCY: possible acute stroke" in printed


def test_new_case_keeps_an_existing_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "case.json"
    out.write_text("{}")
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(ANSWERS) + "\n"))
    assert main(["new-case", "--output", str(out)]) == 1
    assert "exists: not overwritten" in capsys.readouterr().err
    assert out.read_text() == "{}"


def test_new_case_ends_cleanly_when_the_input_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("1\n"))
    assert main(["new-case", "--output", str(tmp_path / "c.json")]) == 1
    assert "no case written" in capsys.readouterr().err
    assert not (tmp_path / "c.json").exists()


@pytest.mark.parametrize(
    ("path", "answer", "value"),
    [
        ("exam.left.ankle_dorsiflexion", "3", 3),
        ("exam.left.ankle_dorsiflexion", "", None),
        ("history.fever", "Y", True),
        ("exam.right.sensory_loss", "2 3", ["SENSORY_REGION_FIRST_WEB_SPACE",
                                          "SENSORY_REGION_DORSUM_FOOT_LATERAL_LEG"]),
        ("presentation.onset", "4", "ONSET_GRADUAL"),
    ],
)  # fmt: skip
def test_answers(path: str, answer: str, value: object) -> None:
    assert parse_answer(question(path), answer) == value


@pytest.mark.parametrize(
    ("path", "answer"),
    [
        ("exam.left.ankle_dorsiflexion", "6"),
        ("exam.left.ankle_dorsiflexion", "2.5"),
        ("history.fever", "maybe"),
        ("presentation.onset", "9"),
        ("presentation.onset", "1 2"),
        ("patient.age_years", "-3"),
    ],
)
def test_impossible_answers_are_asked_again(path: str, answer: str) -> None:
    with pytest.raises(Invalid):
        parse_answer(question(path), answer)
