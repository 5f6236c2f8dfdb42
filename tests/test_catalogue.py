"""docs/rules.md is the generated rule catalogue; it must match the rule files."""

from __future__ import annotations

import pytest

from cdss.cli import main
from cdss.evaluator import Evaluator
from cdss.rulebase.catalogue import markdown
from tests.conftest import ROOT


def test_committed_catalogue_is_up_to_date(evaluator: Evaluator) -> None:
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == markdown(evaluator.compiled), "run `make docs` and commit docs/rules.md"


def test_catalogue_shows_every_rule_with_its_metadata(evaluator: Evaluator) -> None:
    text = markdown(evaluator.compiled)
    for rule in evaluator.compiled.rulebase.rules:
        assert f"### {rule.id} — {rule.title}" in text
        assert rule.rationale in text
    assert "**When**" in text and "**Source.** [" in text


def test_cli_prints_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--format", "markdown"]) == 0
    assert capsys.readouterr().out.startswith("# Rule catalogue")
