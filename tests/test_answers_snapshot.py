"""scripts/answers_snapshot.py: the proof that a change did not move an answer, at each level."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from cdss.paths import DEFAULT_RULES_DIR
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import answers_snapshot

CASES = sorted((ROOT / "tests" / "cases").glob("*.json"))[:2]


@pytest.fixture
def two_cases(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    monkeypatch.setattr(answers_snapshot, "case_files", lambda: CASES)
    return CASES


def test_full_is_the_default_and_keys_are_the_case_paths(two_cases: list[Path]) -> None:
    full = answers_snapshot.answers(DEFAULT_RULES_DIR)
    assert sorted(full) == [str(p.relative_to(ROOT)) for p in two_cases]
    assert all("trace" in json.loads(a) for a in full.values())


def test_all_levels_key_each_case_by_level(two_cases: list[Path]) -> None:
    every = answers_snapshot.answers(DEFAULT_RULES_DIR, "all")
    key = str(two_cases[0].relative_to(ROOT))
    assert {f"{key}@{level}" for level in ("summary", "standard", "full")} <= every.keys()
    assert len(every) == 3 * len(two_cases)
    summary = answers_snapshot.answers(DEFAULT_RULES_DIR, "summary")
    assert every[f"{key}@summary"] == summary[key]
    assert every[f"{key}@summary"] != every[f"{key}@full"]
    assert "trace" not in json.loads(summary[key])


def test_compare_fails_on_a_changed_answer(two_cases: list[Path], tmp_path: Path) -> None:
    snapshot = tmp_path / "snap.jsonl"
    assert answers_snapshot.main(["write", str(snapshot), "--detail", "standard"]) == 0
    assert answers_snapshot.main(["compare", str(snapshot), "--detail", "standard"]) == 0
    # the same snapshot read as another level differs: compare must say so
    assert answers_snapshot.main(["compare", str(snapshot), "--detail", "full"]) == 1
