"""Unit tests per layer of the rule base: findings, causes, then alerts, tests, treatments
and the findings to collect next. Each builds a small case and checks one behaviour."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from cdss.decision import Decision
from cdss.evaluator import Evaluator
from cdss.flatten import build_units
from cdss.scoring import ScoreOnce
from cdss.vocabulary import AlertKind, CauseCategory, Likelihood, TestKind, TreatmentKind, Urgency
from tests.conftest import PERONEAL_CASE, case_facts

C = CauseCategory


def leg_case(affected: dict[str, Any], **sections: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "case_id": "unit",
        "patient": {"age_years": 45},
        "presentation": {
            "side": "SIDE_RIGHT",
            "onset": "ONSET_ACUTE",
            "days_since_onset": 5,
            "course": "COURSE_STABLE",
        },
        "exam": {"right": affected, "left": {"ankle_dorsiflexion": 5}},
    }
    for key, value in sections.items():
        data.setdefault(key, {}).update(value)
    return data


def findings(evaluator: Evaluator, data: dict[str, Any]) -> set[str]:
    case = case_facts(data)
    units = build_units(case, frozenset(evaluator.compiled.drug_names))
    _, props = evaluator.engine.run(units, ScoreOnce(evaluator.scoring))
    return {k for p in props for k, v in p.items() if k.startswith(("F_", "O_F_")) and v is True}


def decide(evaluator: Evaluator, data: dict[str, Any]) -> Decision:
    return evaluator.evaluate(case_facts(data))


def top(d: Decision) -> CauseCategory:
    return d.causes[0].category


def certainty(d: Decision, cause: CauseCategory) -> float:
    return next((c.certainty for c in d.causes if c.category == cause), 0.0)


# ---- layer 1-2: findings ------------------------------------------------------------------


def test_single_and_strong_umn_signs(evaluator: Evaluator) -> None:
    one = findings(
        evaluator, leg_case({"ankle_dorsiflexion": 3, "plantar_response": "PLANTAR_EXTENSOR"})
    )
    assert "F_UMN" in one and "F_UMN_STRONG" not in one
    two = findings(
        evaluator,
        leg_case({"ankle_dorsiflexion": 3, "plantar_response": "PLANTAR_EXTENSOR", "clonus": True}),
    )
    assert {"F_UMN", "F_UMN_STRONG"} <= two


def test_absent_is_unknown_not_normal(evaluator: Evaluator) -> None:
    found = findings(evaluator, leg_case({"ankle_dorsiflexion": 3}))
    assert "F_FOOTDROP" in found
    assert not {"F_INVERSION_SPARED", "F_GLUTEAL_SPARED", "F_LMN", "F_UMN"} & found


def test_other_leg_findings_and_bilateral_umn(evaluator: Evaluator) -> None:
    data = leg_case({"ankle_dorsiflexion": 3, "plantar_response": "PLANTAR_EXTENSOR"})
    data["exam"]["left"] = {"ankle_dorsiflexion": 4, "knee_reflex": "REFLEX_BRISK"}
    assert {"O_F_UMN", "F_BILATERAL_UMN", "F_BILATERAL"} <= findings(evaluator, data)


def test_length_dependent_pattern(evaluator: Evaluator) -> None:
    stocking = {
        "ankle_dorsiflexion": 4,
        "ankle_reflex": "REFLEX_ABSENT",
        "sensory_loss": ["SENSORY_REGION_STOCKING"],
    }
    data = leg_case(stocking, presentation={"side": "SIDE_BILATERAL", "onset": "ONSET_GRADUAL"})
    data["exam"]["left"] = copy.deepcopy(stocking)
    assert "F_LENGTH_DEPENDENT" in findings(evaluator, data)


# ---- layer 3: causes ----------------------------------------------------------------------


def test_peroneal_pattern_leads_to_peroneal(evaluator: Evaluator) -> None:
    d = decide(evaluator, PERONEAL_CASE)
    assert top(d) == C.CAUSE_PERONEAL_NEUROPATHY
    assert d.causes[0].likelihood == Likelihood.LIKELIHOOD_LIKELY
    assert "R27" in d.causes[0].rule_ids


def test_weak_hip_abduction_turns_it_into_l5(evaluator: Evaluator) -> None:
    data = copy.deepcopy(PERONEAL_CASE)
    data["exam"]["left"].update({"ankle_inversion": 3, "hip_abduction": 3})
    data["history"]["low_back_pain"] = True
    d = decide(evaluator, data)
    assert top(d) == C.CAUSE_L5_RADICULOPATHY
    peroneal = next(c for c in d.causes if c.category == C.CAUSE_PERONEAL_NEUROPATHY)
    assert {"R29", "R29a"} <= {r.rule_id for r in peroneal.against}
    assert certainty(d, C.CAUSE_PERONEAL_NEUROPATHY) < certainty(
        decide(evaluator, PERONEAL_CASE), C.CAUSE_PERONEAL_NEUROPATHY
    )


def test_result_outranks_the_bedside(evaluator: Evaluator) -> None:
    data = copy.deepcopy(PERONEAL_CASE)
    data["results"] = {"emg_ncs": "EMG_PATTERN_SCIATIC_NEUROPATHY"}
    d = decide(evaluator, data)
    assert top(d) == C.CAUSE_SCIATIC_NEUROPATHY
    assert (
        d.causes[1].category == C.CAUSE_PERONEAL_NEUROPATHY
    )  # lowered by the result, still listed
    assert any(
        text.startswith("Bedside findings support peroneal neuropathy") for text in d.conflicts
    )


def test_drug_started_after_onset_is_not_the_cause(evaluator: Evaluator) -> None:
    stocking = {
        "ankle_dorsiflexion": 3,
        "ankle_reflex": "REFLEX_ABSENT",
        "sensory_loss": ["SENSORY_REGION_STOCKING"],
    }
    base = leg_case(
        stocking,
        presentation={"side": "SIDE_BILATERAL", "onset": "ONSET_SUBACUTE", "days_since_onset": 40},
    )
    base["exam"]["left"] = copy.deepcopy(stocking)
    before = copy.deepcopy(base)
    before["medications"] = [{"name": "Vincristine", "days_since_start": 60}]
    after = copy.deepcopy(base)
    after["medications"] = [{"name": "vincristine", "days_since_start": 10}]
    assert top(decide(evaluator, before)) == C.CAUSE_DRUG_TOXICITY
    d = decide(evaluator, after)
    assert certainty(d, C.CAUSE_DRUG_TOXICITY) == 0.0
    assert any(w.category == C.CAUSE_DRUG_TOXICITY and "R56" in w.explanation for w in d.why_not)


# ---- layer 4: alerts, tests, treatments ------------------------------------------------------


def test_cauda_equina_is_an_emergency_with_mri_and_bladder_scan(evaluator: Evaluator) -> None:
    data = leg_case(
        {"ankle_dorsiflexion": 3, "ankle_reflex": "REFLEX_REDUCED"},
        history={"low_back_pain": True, "bladder_or_bowel_dysfunction": True},
    )
    d = decide(evaluator, data)
    assert d.alerts[0].kind == AlertKind.ALERT_KIND_CAUDA_EQUINA
    assert d.alerts[0].urgency == Urgency.URGENCY_EMERGENCY
    tests = {t.test: t.urgency for t in d.tests}
    assert tests[TestKind.TEST_MRI_LUMBAR_SPINE] == Urgency.URGENCY_EMERGENCY
    assert TestKind.TEST_BLADDER_SCAN in tests


@pytest.mark.parametrize(
    ("days", "urgency"), [(0, Urgency.URGENCY_EMERGENCY), (3, Urgency.URGENCY_URGENT)]
)
def test_stroke_urgency_depends_on_time_since_onset(
    evaluator: Evaluator, days: int, urgency: Urgency
) -> None:
    data = leg_case(
        {"ankle_dorsiflexion": 2, "plantar_response": "PLANTAR_EXTENSOR"},
        presentation={"onset": "ONSET_SUDDEN", "days_since_onset": days},
        exam={"general": {"facial_weakness": True}},
    )
    d = decide(evaluator, data)
    assert top(d) == C.CAUSE_STROKE
    alert = next(a for a in d.alerts if a.kind == AlertKind.ALERT_KIND_ACUTE_STROKE)
    assert alert.urgency == urgency


def test_emg_timing_advice_counts_the_days(evaluator: Evaluator) -> None:
    data = leg_case({"ankle_dorsiflexion": 3, "ankle_inversion": 4, "hip_abduction": 5})
    emg = next(t for t in decide(evaluator, data).tests if t.test == TestKind.TEST_EMG_NCS)
    assert emg.earliest_day_after_onset == 21
    assert "in 16 days (today is day 5)" in emg.timing


def test_a_test_already_done_is_not_suggested_again(evaluator: Evaluator) -> None:
    data = leg_case(
        {"ankle_dorsiflexion": 3, "ankle_inversion": 4, "hip_abduction": 5},
        results={"emg_ncs": "EMG_PATTERN_PERONEAL_NEUROPATHY_FIBULAR_HEAD"},
    )
    d = decide(evaluator, data)
    assert TestKind.TEST_EMG_NCS not in {t.test for t in d.tests}
    assert any(
        w.item == TestKind.TEST_EMG_NCS and "already in the case" in w.reason for w in d.withheld
    )


def test_no_nerve_stimulation_for_a_peripheral_foot_drop(evaluator: Evaluator) -> None:
    d = decide(evaluator, PERONEAL_CASE)
    kinds = {t.treatment for t in d.treatments}
    assert TreatmentKind.TREATMENT_ANKLE_FOOT_ORTHOSIS in kinds
    assert TreatmentKind.TREATMENT_PERONEAL_NERVE_STIMULATION_EXTERNAL not in kinds
    assert TreatmentKind.TREATMENT_PERONEAL_NERVE_STIMULATION_EXTERNAL in {
        w.item for w in d.withheld
    }


def test_nerve_stimulation_for_central_foot_drop(evaluator: Evaluator) -> None:
    data = leg_case(
        {"ankle_dorsiflexion": 3, "plantar_response": "PLANTAR_EXTENSOR", "tone": "TONE_SPASTIC"},
        presentation={"onset": "ONSET_SUDDEN", "days_since_onset": 200},
        exam={"general": {"upper_limb_weakness": True}},
    )
    kinds = {t.treatment for t in decide(evaluator, data).treatments}
    assert TreatmentKind.TREATMENT_PERONEAL_NERVE_STIMULATION_EXTERNAL in kinds
    assert TreatmentKind.TREATMENT_PERONEAL_NERVE_STIMULATION_IMPLANTED in kinds


def test_must_not_miss_stroke_in_sudden_painless_isolated_foot_drop(evaluator: Evaluator) -> None:
    data = leg_case(
        {"ankle_dorsiflexion": 2, "sensory_loss": ["SENSORY_REGION_NONE"]},
        patient={"age_years": 71},
        presentation={"onset": "ONSET_SUDDEN", "pain": "PAIN_NONE", "days_since_onset": 0},
        history={"vascular_risk_factors": True, "prolonged_leg_crossing": False},
    )
    d = decide(evaluator, data)
    stroke = next(c for c in d.causes if c.category == C.CAUSE_STROKE)
    assert stroke.likelihood == Likelihood.LIKELIHOOD_MUST_NOT_MISS
    assert any(
        a.kind == AlertKind.ALERT_KIND_ACUTE_STROKE and a.urgency == Urgency.URGENCY_EMERGENCY
        for a in d.alerts
    )


# ---- what to collect next -------------------------------------------------------------------


def test_next_question_separates_l5_from_peroneal(evaluator: Evaluator) -> None:
    data = leg_case(
        {
            "ankle_dorsiflexion": 2,
            "toe_extension": 2,
            "ankle_eversion": 3,
            "ankle_reflex": "REFLEX_NORMAL",
            "knee_reflex": "REFLEX_NORMAL",
            "plantar_response": "PLANTAR_FLEXOR",
            "sensory_loss": ["SENSORY_REGION_DORSUM_FOOT_LATERAL_LEG"],
        },
        history={"prolonged_leg_crossing": True},
    )
    d = decide(evaluator, data)
    first = d.requests[0]
    assert set(first.fields) == {"A.ankle_inversion", "A.hip_abduction"}
    assert first.expected_change > 0.3
    assert "L5 radiculopathy leads" in first.reason and "peroneal neuropathy leads" in first.reason
    assert [r.expected_change for r in d.requests] == sorted(
        (r.expected_change for r in d.requests), reverse=True
    )


def test_missing_information_is_reported(evaluator: Evaluator) -> None:
    data = leg_case({"ankle_dorsiflexion": 3})
    del data["presentation"]["onset"]
    d = decide(evaluator, data)
    assert any(text.startswith("Onset") and "not recorded" in text for text in d.not_assessed)
    assert any("A.plantar_response" in r.fields for r in d.requests)


# ---- base rates (R27b): rank a cause, document nothing ----------------------------------


def test_a_base_rate_ranks_the_commonest_cause_but_the_case_stays_under_documented(
    evaluator: Evaluator,
) -> None:
    """Four months of weak dorsiflexion and nothing else: the peroneal nerve leads as a base
    rate, the answer still says the case is under-documented and lists what must not be
    missed; a recorded localising pattern (weak eversion, normal inversion) replaces it."""

    def case(left: dict[str, Any]) -> dict[str, Any]:
        presentation = {"side": "SIDE_LEFT", "days_since_onset": 120}
        return {"case_id": "unit", "presentation": presentation, "exam": {"left": left}}

    d = decide(evaluator, case({"ankle_dorsiflexion": 4}))
    assert top(d) == C.CAUSE_PERONEAL_NEUROPATHY
    assert [r.rule_id for r in d.causes[0].supporting] == ["R27b"]
    assert d.under_documented
    net = {c.category for c in d.causes if c.likelihood == Likelihood.LIKELIHOOD_MUST_NOT_MISS}
    assert {C.CAUSE_STROKE, C.CAUSE_SPINAL_CORD_LESION, C.CAUSE_CAUDA_EQUINA_SYNDROME} <= net
    d = decide(
        evaluator, case({"ankle_dorsiflexion": 4, "ankle_eversion": 3, "ankle_inversion": 5})
    )
    assert not d.under_documented
    assert top(d) == C.CAUSE_PERONEAL_NEUROPATHY
    assert "R27b" not in {r.rule_id for c in d.causes for r in c.supporting}


def test_a_base_rate_never_ranks_above_what_an_emergency_alert_names(
    evaluator: Evaluator,
) -> None:
    """An abrupt foot drop two hours old: the stroke window. The peroneal base rate is shown,
    but after stroke and the other brain lesion, which the EMERGENCY stroke alert names."""
    d = decide(
        evaluator,
        {"presentation": {"side": "SIDE_LEFT", "onset": "ONSET_SUDDEN", "hours_since_onset": 2}},
    )
    order = [c.category for c in d.causes]
    assert order[:3] == [C.CAUSE_STROKE, C.CAUSE_OTHER_BRAIN_LESION, C.CAUSE_PERONEAL_NEUROPATHY]
    assert [c.rank for c in d.causes] == list(range(1, len(d.causes) + 1))
    assert d.under_documented


def test_what_must_not_be_missed_stays_listed_until_a_cause_is_likely(
    evaluator: Evaluator,
) -> None:
    """A drug on the list supports drug toxicity a little, but nothing examined makes any cause
    likely: the presentation's must-not-miss causes stay in the differential."""
    d = decide(
        evaluator,
        {
            "case_id": "unit",
            "presentation": {"side": "SIDE_LEFT", "onset": "ONSET_SUBACUTE"},
            "medications": [{"name": "amiodarone"}],
        },
    )
    assert not any(c.likelihood == Likelihood.LIKELIHOOD_LIKELY for c in d.causes)
    net = {c.category for c in d.causes if c.likelihood == Likelihood.LIKELIHOOD_MUST_NOT_MISS}
    assert {C.CAUSE_SPINAL_CORD_LESION, C.CAUSE_POLYNEUROPATHY} <= net
