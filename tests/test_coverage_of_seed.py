"""The rule base covers the seed page: every cause category, group, test and treatment is
reachable by some active rule, and each item of the seed page maps to rules."""

from __future__ import annotations

from cdss.evaluator import Evaluator
from cdss.rulebase.model import AlertConclusion, Evidence, TestConclusion, TreatmentConclusion
from cdss.vocabulary import (
    CAUSE_GROUP,
    AlertKind,
    CauseCategory,
    CauseGroup,
    TestKind,
    TreatmentKind,
)

# Each cause, test and treatment named on the seed page, and the rule-base vocabulary covering it.
SEED_ITEMS: dict[str, list[object]] = {
    "muscle or nerve damage: injury to muscles (ankle and toe muscles)": [
        CauseCategory.CAUSE_MUSCLE_OR_TENDON_INJURY
    ],
    "nerve damage in the lower spine": [
        CauseCategory.CAUSE_L5_RADICULOPATHY,
        CauseCategory.CAUSE_CAUDA_EQUINA_SYNDROME,
    ],
    "nerve damage in the leg": [
        CauseCategory.CAUSE_SCIATIC_NEUROPATHY,
        CauseCategory.CAUSE_LUMBOSACRAL_PLEXOPATHY,
    ],
    "diabetic neuropathy": [CauseCategory.CAUSE_POLYNEUROPATHY],
    "nerve damage during hip or knee replacement": [
        CauseCategory.CAUSE_SCIATIC_NEUROPATHY,
        CauseCategory.CAUSE_PERONEAL_NEUROPATHY,
    ],
    "pressure on the peroneal nerve (leg crossing)": [CauseCategory.CAUSE_PERONEAL_NEUROPATHY],
    "muscular dystrophy": [CauseCategory.CAUSE_MUSCULAR_DYSTROPHY],
    "inherited nerve disorders (Charcot-Marie-Tooth)": [CauseCategory.CAUSE_HEREDITARY_NEUROPATHY],
    "compartment syndrome": [CauseCategory.CAUSE_COMPARTMENT_SYNDROME],
    "ALS": [CauseCategory.CAUSE_MOTOR_NEURON_DISEASE],
    "multiple sclerosis": [CauseCategory.CAUSE_MULTIPLE_SCLEROSIS],
    "stroke": [CauseCategory.CAUSE_STROKE],
    "spinal cord or brain disorders": [
        CauseCategory.CAUSE_SPINAL_CORD_LESION,
        CauseCategory.CAUSE_OTHER_BRAIN_LESION,
    ],
    "chemotherapy and MS drugs": [CauseCategory.CAUSE_DRUG_TOXICITY],
    "MRI": [TestKind.TEST_MRI_LUMBAR_SPINE, TestKind.TEST_MRI_BRAIN, TestKind.TEST_MRI_SPINAL_CORD],
    "EMG and nerve conduction studies": [TestKind.TEST_EMG_NCS],
    "braces or splints": [TreatmentKind.TREATMENT_ANKLE_FOOT_ORTHOSIS],
    "physical therapy": [TreatmentKind.TREATMENT_PHYSICAL_THERAPY],
    "nerve stimulation (strapped on or implanted)": [
        TreatmentKind.TREATMENT_PERONEAL_NERVE_STIMULATION_EXTERNAL,
        TreatmentKind.TREATMENT_PERONEAL_NERVE_STIMULATION_IMPLANTED,
    ],
    "surgery (nerve or spine)": [
        TreatmentKind.TREATMENT_NERVE_SURGERY,
        TreatmentKind.TREATMENT_SPINAL_SURGERY,
    ],
}


def _concluded(evaluator: Evaluator) -> set[object]:
    out: set[object] = set()
    for r in evaluator.compiled.rulebase.rules:
        if r.status != "active":
            continue
        for c in r.then:
            if isinstance(c, Evidence) and c.direction > 0:
                out.add(c.cause)
            elif isinstance(c, TestConclusion):
                out.add(c.test)
            elif isinstance(c, TreatmentConclusion):
                out.add(c.treatment)
            elif isinstance(c, AlertConclusion):
                out.add(c.kind)
    return out


def test_every_cause_category_and_group_is_supported_by_a_rule(evaluator: Evaluator) -> None:
    concluded = _concluded(evaluator)
    assert set(CauseCategory) <= concluded
    assert {CAUSE_GROUP[c] for c in CauseCategory if c in concluded} == set(CauseGroup)


def test_every_test_treatment_and_alert_kind_is_reachable(evaluator: Evaluator) -> None:
    concluded = _concluded(evaluator)
    assert set(TestKind) <= concluded
    assert set(TreatmentKind) <= concluded
    assert set(AlertKind) <= concluded


def test_every_seed_item_is_covered(evaluator: Evaluator) -> None:
    concluded = _concluded(evaluator)
    missing = {item: kinds for item, kinds in SEED_ITEMS.items() if not set(kinds) <= concluded}
    assert not missing


def test_every_rule_cites_a_reference(evaluator: Evaluator) -> None:
    rb = evaluator.compiled.rulebase
    for r in rb.rules:
        assert r.source and all(n in rb.meta.references for n in r.source), r.id
