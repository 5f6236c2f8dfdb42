"""One vocabulary of display names: every contract code and case field has its label."""

from __future__ import annotations

from cdss import case_fields
from cdss.display_names import ENUM_LABELS, FIELD_LABELS
from cdss.names import display, fact_text, field_name


def test_every_contract_code_has_a_display_name() -> None:
    codes = {n for e in case_fields.contract_enums() for n in case_fields.enum_names(e)}
    assert codes - set(ENUM_LABELS) == set()
    assert set(ENUM_LABELS) - codes == set()  # and nothing stale


def test_every_case_field_has_a_display_name() -> None:
    missing = set()
    for path, f in case_fields.walk():
        if f.kind in ("message", "messages"):
            continue
        key = path.replace("exam.left.", "limb.").replace("exam.right.", "limb.")
        key = key.replace("exam.general.", "general.")
        if key not in FIELD_LABELS:
            missing.add(key)
    assert missing == set()


def test_labels_are_written_not_cut_from_codes() -> None:
    assert display("TEST_EMG_NCS") == "EMG and nerve conduction studies"
    assert display("TREATMENT_PERONEAL_NERVE_STIMULATION_EXTERNAL") == (
        "external peroneal nerve stimulation"
    )
    assert display("CAUSE_L5_RADICULOPATHY") == "L5 radiculopathy"
    for label in ENUM_LABELS.values():
        assert "_" not in label and label == label.strip() and label


def test_facts_in_clinical_words() -> None:
    assert fact_text("exam.right.ankle_dorsiflexion", "1") == "right ankle dorsiflexion MRC 1"
    assert fact_text("exam.left.sensory_loss", "includes SENSORY_REGION_SOLE") == (
        "left sensory loss over the sole"
    )
    assert fact_text("A.compartment_tense", "true") == "tense compartment (affected leg)"
    assert fact_text("history.low_back_pain", "false") == "no low back pain"
    assert fact_text("cause CAUSE_L5_RADICULOPATHY certainty", "0.15") == (
        "L5 radiculopathy at certainty 0.15"
    )
    assert fact_text("results.ck_u_per_l", "5000") == "creatine kinase (CK): 5000 U/L"
    assert fact_text("presentation.days_since_onset", "3") == "days since onset: 3"
    assert fact_text("medications.vincristine.taken", "true") == "taking vincristine"
    assert fact_text("history.anticoagulated", "false") == "not on anticoagulation"
    assert fact_text("exam.left.foot_pulses_absent", "false") == "foot pulses present (left leg)"
    assert field_name("A.hip_abduction") == "hip abduction (affected leg)"
    assert field_name("exam.general.reduced_anal_tone") == "reduced anal tone"
