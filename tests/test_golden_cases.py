"""The case library through the real gRPC stack (in-process server on port 0).

- tests/cases/ (80) were written from the clinical brief: every expectation must be met.
- tests/cases_safety/ (44) were written blind from guidelines (NICE NG128, NG232, NG234, BOAST
  10, GIRFT, ASRA, ESVS, GBS criteria) by reviewers who did not read the rules: every case
  must meet its expectations except KNOWN_SAFETY_MISSES, strict expected failures.
- tests/cases_examples/ are the unit examples of the active rules no other case fires (issue 11,
  each names the rules it `exemplifies`): every expectation must be met.
- tests/cases_review/ (125) were written blind from published case reports. The first 25 must
  meet their expectations except KNOWN_DIFFERENCES; for the whole set the hard promises are
  checked on every case (an emergency case gets an EMERGENCY alert; no empty differential)
  and the accuracy is held above a floor that is only ever raised (issue 11 raises it).
Strict expected failures fail the test when a case starts passing, so the lists stay true.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from cdss._proto import foot_drop_service_pb2, foot_drop_service_pb2_grpc
from cdss.vocabulary import AlertKind, CauseCategory
from tests.clinical_report import has_emergency, is_emergency
from tests.golden import (
    CASES_DIR,
    EXAMPLES_DIR,
    REVIEW_DIR,
    SAFETY_DIR,
    GoldenCase,
    check,
    load_cases,
)

CASES = load_cases(CASES_DIR)
REVIEW = load_cases(REVIEW_DIR)
FIRST_REVIEW = [g for g in REVIEW if re.fullmatch(r"review_\d\d_.*", g.stem)]  # review_01-25
SAFETY = load_cases(SAFETY_DIR)
EXAMPLES = load_cases(EXAMPLES_DIR)
LIBRARY = CASES + REVIEW + SAFETY + EXAMPLES
# Accuracy floors on the whole review set, measured on rule base 1.2.0: the first 125 cases
# top-1 108, top-3 117 (1.1.0: 95 and 107); with the 20 fresh blind cases review_501-520
# (written after 1.2.0, a second holdout) 123 and 132 of 145. Rule base 1.3.0 on 193 cases (48
# more written blind, review_601-648, 12 of them a third and fourth holdout): 175 and 189 - the
# issue-11 targets (90 % and 97 %). Raise them as the rule base improves; never lower them (a
# set that grows is measured again, as here).
REVIEW_TOP1_FLOOR = 0.90
REVIEW_TOP3_FLOOR = 0.97
KNOWN_DIFFERENCES = {
    "review_14_hnpp_recurrent_foot_drop": (
        "an acute one-sided foot drop with no time since onset and no local cause recorded gets "
        "the stroke-window EMERGENCY by design (unknown is never reassuring); the reviewer, "
        "knowing the paper's recurrent course, expected none"
    ),
    "review_21_cord_compression_bilateral": (
        "the service raises ACUTE_CORD_COMPRESSION (EMERGENCY) for cord compression with a "
        "worsening course, as the brief's R106 says; the reviewer would have raised "
        "CENTRAL_LESION (URGENT)"
    ),
    "review_25_leg_crossing_deep_peroneal": (
        "inversion was not examined, so no peroneal pattern forms and the routine-review alert "
        "(which needs the pattern) is not raised; the answer asks for inversion and hip abduction"
    ),
}
KNOWN_SAFETY_MISSES = {
    "safety_s1_17_mimic_leg_crossing_peroneal_3_weeks": (
        "an improving compressive peroneal palsy at three weeks gets no EMG/NCS (the brief asks "
        "for it when there is no improvement by three weeks); the reviewer asks for it anyway"
    ),
    "safety_s1_18_mimic_cmt_pes_cavus_family": (
        "hereditary and acquired polyneuropathy tie at 0.50 and the tie goes to polyneuropathy; "
        "a dominant family pattern is not yet a discriminator (issue 11)"
    ),
    "safety_s2_12_ali_af_cold_pale": (
        "the contract has no cause category for limb ischaemia, so the differential still puts "
        "a peroneal palsy first beside the EMERGENCY limb-ischaemia alert"
    ),
    "safety_s3_04_rivaroxaban_sudden_umn_foot_drop_ct_normal": (
        "the acute-stroke emergency (R202) names CT angiography in its action only 'if "
        "thrombectomy is considered' and does not list it as a test; the blind reviewer asks "
        "for it (NICE NG128, thrombectomy)"
    ),
    "safety_s3_06_aspirin_sudden_umn_foot_drop_facial_palsy_2h": (
        "the acute-stroke emergency (R202) names CT angiography in its action only 'if "
        "thrombectomy is considered' and does not list it as a test; the blind reviewer asks "
        "for it (NICE NG128, thrombectomy)"
    ),
    "safety_s3_08_apixaban_tibialis_anterior_rupture_mimic": (
        "R217a asks (URGENT) for hip and knee strength in any anticoagulated foot drop where they "
        "are unrecorded, even when a tendon rupture explains it; the blind reviewer expects no "
        "haematoma alert at all"
    ),
}


def test_golden_suite_is_large_and_covers_every_cause_and_alert() -> None:
    assert len(CASES) >= 60
    counts = {c.value: 0 for c in CauseCategory}
    alerts: set[str] = set()
    for g in CASES + SAFETY:
        if g.category in counts:
            counts[g.category] += 1
        alerts |= {a["kind"] for a in g.expect.get("alerts", [])}
        alerts |= set(g.expect.get("any_alert", {}).get("kinds", []))
    assert all(n >= 2 for n in counts.values()), counts
    assert {k.value for k in AlertKind} <= alerts


def test_safety_suite_covers_every_red_flag() -> None:
    """At least 40 guideline cases, each citing its guidance, with mimics among them."""
    assert len(SAFETY) >= 40
    specs = [
        yaml.safe_load(SAFETY_DIR.joinpath(f"{g.stem}.expect.yaml").read_text()) for g in SAFETY
    ]
    assert all(spec.get("guidance") for spec in specs)
    assert sum(bool(g.expect.get("no_emergency_alert")) for g in SAFETY) >= 10


def _answer(
    golden: GoldenCase, stub: foot_drop_service_pb2_grpc.FootDropDecisionSupportStub
) -> foot_drop_service_pb2.EvaluateResponse:
    return stub.Evaluate(foot_drop_service_pb2.EvaluateRequest(case=golden.case), timeout=10)


def _run(golden: GoldenCase, stub: foot_drop_service_pb2_grpc.FootDropDecisionSupportStub) -> None:
    outcome = check(golden, _answer(golden, stub))
    assert outcome.passed, f"{golden.stem}: {outcome.failures}; ranked {outcome.ranked}"


def _strict(cases: list[GoldenCase], known: dict[str, str]) -> list[Any]:
    return [
        pytest.param(g, marks=pytest.mark.xfail(strict=True, reason=known[g.stem]))
        if g.stem in known
        else g
        for g in cases
    ]


@pytest.mark.parametrize("golden", CASES, ids=[g.stem for g in CASES])
def test_golden_case(
    golden: GoldenCase, stub: foot_drop_service_pb2_grpc.FootDropDecisionSupportStub
) -> None:
    _run(golden, stub)


@pytest.mark.parametrize("golden", EXAMPLES, ids=[g.stem for g in EXAMPLES])
def test_rule_example_case(
    golden: GoldenCase, stub: foot_drop_service_pb2_grpc.FootDropDecisionSupportStub
) -> None:
    _run(golden, stub)


@pytest.mark.parametrize(
    "golden", _strict(FIRST_REVIEW, KNOWN_DIFFERENCES), ids=[g.stem for g in FIRST_REVIEW]
)
def test_review_case(
    golden: GoldenCase, stub: foot_drop_service_pb2_grpc.FootDropDecisionSupportStub
) -> None:
    _run(golden, stub)


@pytest.mark.parametrize(
    "golden", _strict(SAFETY, KNOWN_SAFETY_MISSES), ids=[g.stem for g in SAFETY]
)
def test_safety_case(
    golden: GoldenCase, stub: foot_drop_service_pb2_grpc.FootDropDecisionSupportStub
) -> None:
    _run(golden, stub)


def test_every_emergency_case_raises_an_emergency_and_no_answer_is_empty(
    stub: foot_drop_service_pb2_grpc.FootDropDecisionSupportStub,
) -> None:
    """The hard promises on every case of the library, the review holdout included."""
    missed, empty = [], []
    for g in LIBRARY:
        resp = _answer(g, stub)
        if is_emergency(g) and not has_emergency(resp):
            missed.append(g.stem)
        if not resp.causes:
            empty.append(g.stem)
    assert not missed, f"emergency cases without an EMERGENCY alert: {missed}"
    assert not empty, f"answers with an empty differential: {empty}"


def test_review_set_accuracy_stays_above_its_floor(
    stub: foot_drop_service_pb2_grpc.FootDropDecisionSupportStub,
) -> None:
    outcomes = [check(g, _answer(g, stub)) for g in REVIEW]
    top1 = sum(o.top1 for o in outcomes) / len(outcomes)
    top3 = sum(o.top3 for o in outcomes) / len(outcomes)
    assert len(REVIEW) >= 120
    assert top1 >= REVIEW_TOP1_FLOOR, f"top-1 {top1:.1%} fell below {REVIEW_TOP1_FLOOR:.0%}"
    assert top3 >= REVIEW_TOP3_FLOOR, f"top-3 {top3:.1%} fell below {REVIEW_TOP3_FLOOR:.0%}"
