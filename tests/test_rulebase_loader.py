"""Rule-base validation: every problem names the file, the line, the rule and a suggestion."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from cdss.errors import RuleBaseError
from cdss.rulebase.compiler import compile_rulebase
from cdss.rulebase.loader import load_rulebase
from tests.conftest import ROOT

RULES = ROOT / "rules"
GOOD_RULE = """
topic: test
rules:
  - id: R900
    title: Foot drop confirmed on examination
    version: 1
    status: active
    when: {fact: A.ankle_dorsiflexion, le: 4}
    then:
      - finding: F_TEST_FOOTDROP
    rationale: The complaint must be confirmed on examination before localising.
    source: [1]
  - id: R901
    title: Test support rule
    version: 1
    status: active
    when: {finding: F_TEST_FOOTDROP}
    then:
      - {support: CAUSE_PERONEAL_NEUROPATHY, weight: 0.5}
    rationale: A rule used only by the loader tests to check validation.
    source: [2]
"""


def rule_dir(tmp_path: Path, text: str) -> Path:
    for name in ("rulebase.yaml", "references.yaml"):
        shutil.copy(RULES / name, tmp_path / name)
    (tmp_path / "10-test.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(RuleBaseError) as info:
        load_rulebase(rule_dir(tmp_path, text))
    return [str(p) for p in info.value.problems]


def test_the_shipped_rule_base_loads_and_compiles() -> None:
    compiled = compile_rulebase(load_rulebase(RULES))
    assert len(compiled.rulebase.rules) > 150
    assert len(compiled.strata) >= 3  # case facts -> findings -> causes -> tests/treatments


def test_a_minimal_valid_rule_base_loads(tmp_path: Path) -> None:
    rb = load_rulebase(rule_dir(tmp_path, GOOD_RULE))
    assert [r.id for r in rb.rules] == ["R900", "R901"]
    assert rb.content_hash.startswith("sha256:")


def test_unknown_field_names_file_line_rule_and_suggestion(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        GOOD_RULE.replace("    rationale: A rule", "    rationale_: x\n    rationale: A rule"),
    )
    assert found == ["10-test.yaml:20 R901: unknown field 'rationale_' (did you mean 'rationale'?)"]


def test_unknown_fact_with_suggestion(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD_RULE.replace("A.ankle_dorsiflexion", "A.ankle_dorsiflexon"))
    assert len(found) == 1
    assert "R900: unknown fact 'A.ankle_dorsiflexon'" in found[0]
    assert "did you mean 'A.ankle_dorsiflexion'" in found[0]
    assert found[0].startswith("10-test.yaml:8 ")


def test_unknown_enum_value(tmp_path: Path) -> None:
    found = problems(
        tmp_path, GOOD_RULE.replace("CAUSE_PERONEAL_NEUROPATHY", "CAUSE_PERONEAL_NEUROPATY")
    )
    assert (
        "R901: unknown cause 'CAUSE_PERONEAL_NEUROPATY' (did you mean 'CAUSE_PERONEAL_NEUROPATHY'?)"
        in found[0]
    )


def test_unknown_finding_reference(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        GOOD_RULE.replace("when: {finding: F_TEST_FOOTDROP}", "when: {finding: F_TEST_FOOTDRP}"),
    )
    assert (
        "R901: unknown finding 'F_TEST_FOOTDRP': no active rule concludes it "
        "(did you mean 'F_TEST_FOOTDROP'?)" in found[0]
    )


def test_unknown_reference_number(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD_RULE.replace("source: [2]", "source: [999]"))
    assert "R901: unknown reference 999" in found[0]


def test_missing_required_metadata(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD_RULE.replace("    source: [1]\n", ""))
    assert "R900: missing required field 'source'" in found[0]


def test_weight_out_of_range(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD_RULE.replace("weight: 0.5", "weight: 1.5"))
    assert "R901: weight must be a number in (0, 1]" in found[0]


def test_mrc_grade_out_of_range_in_a_rule(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD_RULE.replace("le: 4}", "le: 7}"))
    assert "MRC grade 0-5" in found[0]


def test_placeholder_text_is_refused(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD_RULE.replace("used only by the loader tests", "TODO confirm"))
    assert "rationale contains a placeholder" in found[0]


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    text = GOOD_RULE.replace("A.ankle_dorsiflexion", "A.nope").replace(
        "source: [2]", "source: [999]"
    )
    assert len(problems(tmp_path, text)) >= 2


def test_duplicate_rule_id(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD_RULE.replace("id: R901", "id: R900"))
    assert any("R900: duplicate rule id" in p for p in found)


def test_circular_findings_are_refused(tmp_path: Path) -> None:
    text = GOOD_RULE.replace(
        "when: {fact: A.ankle_dorsiflexion, le: 4}", "when: {finding: F_TEST_LOOP}"
    ).replace(
        "      - {support: CAUSE_PERONEAL_NEUROPATHY, weight: 0.5}", "      - finding: F_TEST_LOOP"
    )
    with pytest.raises(RuleBaseError, match="circular findings"):
        compile_rulebase(load_rulebase(rule_dir(tmp_path, text)))


def test_result_basis_needs_a_result_condition(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD_RULE.replace("weight: 0.5}", "weight: 0.5, basis: result}"))
    assert "basis 'result' needs a condition on a results.* fact" in found[0]


def test_a_base_rate_only_supports_and_never_outweighs_a_finding(tmp_path: Path) -> None:
    heavy = problems(tmp_path, GOOD_RULE.replace("weight: 0.5}", "weight: 0.5, basis: prior}"))
    assert "a base rate (basis prior) supports, with weight 0.2 or less" in heavy[0]
    light = GOOD_RULE.replace("weight: 0.5}", "weight: 0.15, basis: prior}")
    against = problems(tmp_path, light.replace("{support:", "{against:"))
    assert "a base rate (basis prior) supports" in against[0]


def test_bad_yaml_names_the_line(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD_RULE + "  - id: [unclosed\n")
    assert found[0].startswith("10-test.yaml:") and "not valid YAML" in found[0]


def test_rules_check_cli_reports_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cdss.cli import main

    directory = rule_dir(tmp_path, GOOD_RULE.replace("A.ankle_dorsiflexion", "A.ankle_dorsiflexon"))
    assert main(["rules", "check", "--rules-dir", str(directory)]) == 1
    err = capsys.readouterr().err
    assert "10-test.yaml:8 R900: unknown fact 'A.ankle_dorsiflexon'" in err


def _shipped_with(tmp_path: Path, edits: dict[str, tuple[str, str]]) -> list[str]:
    """The problems of a copy of the shipped rule base with (file: (old, new)) replaced once."""
    for path in RULES.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if path.name in edits:
            old, new = edits[path.name]
            assert old in text
            text = text.replace(old, new, 1)
        (tmp_path / path.name).write_text(text, encoding="utf-8")
    with pytest.raises(RuleBaseError) as info:
        load_rulebase(tmp_path)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        # a rule dropped for an unknown key: the findings it concludes are still known
        ({"10-findings.yaml": ("    title:", "    titel: x\n    title:")}, "unknown field 'titel'"),
        # a rule file that is not YAML: the findings it names are not judged while it is broken
        ({"10-findings.yaml": ("rules:", "rules: [")}, "10-findings.yaml:7: not valid YAML"),
        # references that cannot be read: no rule reports its sources unknown
        ({"references.yaml": ("references:", "references: [")}, "references.yaml:4: not valid"),
        # drug classes that cannot be read: no drug condition reports its class unknown
        ({"rulebase.yaml": ("drug_classes:", "drug_classes: [")}, r"rulebase.yaml:\d+: not valid"),
    ],
    ids=["unknown-key", "rule-file-not-yaml", "references-not-yaml", "meta-not-yaml"],
)
def test_issue_14_one_error_per_real_problem(
    tmp_path: Path, edits: dict[str, tuple[str, str]], expected: str
) -> None:
    found = _shipped_with(tmp_path, edits)
    assert len(found) == 1, found[:5]
    assert re.search(expected, found[0]), found[0]


def test_issue_14_a_broken_file_hides_no_other_problem(tmp_path: Path) -> None:
    found = _shipped_with(
        tmp_path,
        {
            "10-findings.yaml": ("rules:", "rules: ["),
            "20-nerve-root-plexus.yaml": (
                "finding: F_PERONEAL_PATTERN",
                "finding: F_PERONEAL_PATERN",
            ),
        },
    )
    assert len(found) == 2, found[:5]
    assert "unknown finding 'F_PERONEAL_PATERN'" in found[1]
