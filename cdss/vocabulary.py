"""The contract's enumerations as plain Python enums, so the engine needs no protobuf.

Every member's value is its contract name (e.g. ``Onset.ONSET_SUDDEN == "ONSET_SUDDEN"``);
the ``_UNSPECIFIED`` values of the .proto are absent here because "not recorded" is ``None``.
tests/test_vocabulary.py checks these against the generated protobuf enums, so the two
cannot drift apart.
"""

from __future__ import annotations

from enum import StrEnum, auto
from typing import Any


class ContractEnum(StrEnum):
    """A StrEnum whose values are the member names, as in the .proto files."""

    @staticmethod
    def _generate_next_value_(name: str, start: int, count: int, last_values: list[Any]) -> str:
        return name


class Sex(ContractEnum):
    SEX_FEMALE = auto()
    SEX_MALE = auto()
    SEX_OTHER = auto()


class Side(ContractEnum):
    SIDE_LEFT = auto()
    SIDE_RIGHT = auto()
    SIDE_BILATERAL = auto()


class Onset(ContractEnum):
    ONSET_SUDDEN = auto()
    ONSET_ACUTE = auto()
    ONSET_SUBACUTE = auto()
    ONSET_GRADUAL = auto()


class Course(ContractEnum):
    COURSE_IMPROVING = auto()
    COURSE_STABLE = auto()
    COURSE_WORSENING = auto()
    COURSE_FLUCTUATING = auto()


class Pain(ContractEnum):
    PAIN_NONE = auto()
    PAIN_MILD = auto()
    PAIN_SEVERE = auto()
    PAIN_OUT_OF_PROPORTION = auto()


class PainSite(ContractEnum):
    PAIN_SITE_LOW_BACK = auto()
    PAIN_SITE_BUTTOCK = auto()
    PAIN_SITE_POSTERIOR_THIGH = auto()
    PAIN_SITE_LATERAL_LEG = auto()
    PAIN_SITE_ANTERIOR_LEG = auto()
    PAIN_SITE_FOOT = auto()
    PAIN_SITE_GROIN = auto()
    PAIN_SITE_KNEE = auto()


class Reflex(ContractEnum):
    REFLEX_ABSENT = auto()
    REFLEX_REDUCED = auto()
    REFLEX_NORMAL = auto()
    REFLEX_BRISK = auto()


class Plantar(ContractEnum):
    PLANTAR_FLEXOR = auto()
    PLANTAR_EXTENSOR = auto()
    PLANTAR_EQUIVOCAL = auto()


class Tone(ContractEnum):
    TONE_NORMAL = auto()
    TONE_SPASTIC = auto()
    TONE_FLACCID = auto()


class SensoryRegion(ContractEnum):
    SENSORY_REGION_NONE = auto()
    SENSORY_REGION_FIRST_WEB_SPACE = auto()
    SENSORY_REGION_DORSUM_FOOT_LATERAL_LEG = auto()
    SENSORY_REGION_SOLE = auto()
    SENSORY_REGION_LATERAL_FOOT = auto()
    SENSORY_REGION_POSTERIOR_THIGH = auto()
    SENSORY_REGION_STOCKING = auto()


class EmgPattern(ContractEnum):
    EMG_PATTERN_NORMAL = auto()
    EMG_PATTERN_PERONEAL_NEUROPATHY_FIBULAR_HEAD = auto()
    EMG_PATTERN_SCIATIC_NEUROPATHY = auto()
    EMG_PATTERN_L5_RADICULOPATHY = auto()
    EMG_PATTERN_LUMBOSACRAL_PLEXOPATHY = auto()
    EMG_PATTERN_AXONAL_POLYNEUROPATHY = auto()
    EMG_PATTERN_DEMYELINATING_POLYNEUROPATHY = auto()
    EMG_PATTERN_WIDESPREAD_DENERVATION = auto()
    EMG_PATTERN_MYOPATHIC = auto()


class LumbarMri(ContractEnum):
    LUMBAR_MRI_NORMAL = auto()
    LUMBAR_MRI_L5_ROOT_COMPRESSION = auto()
    LUMBAR_MRI_CAUDA_EQUINA_COMPRESSION = auto()
    LUMBAR_MRI_OTHER = auto()


class BrainMri(ContractEnum):
    BRAIN_MRI_NORMAL = auto()
    BRAIN_MRI_ACUTE_INFARCT = auto()
    BRAIN_MRI_HAEMORRHAGE = auto()
    BRAIN_MRI_DEMYELINATION = auto()
    BRAIN_MRI_PARASAGITTAL_MASS = auto()
    BRAIN_MRI_OTHER = auto()


class CordMri(ContractEnum):
    CORD_MRI_NORMAL = auto()
    CORD_MRI_COMPRESSION = auto()
    CORD_MRI_DEMYELINATION = auto()
    CORD_MRI_OTHER = auto()


class KneeImaging(ContractEnum):
    KNEE_IMAGING_NORMAL = auto()
    KNEE_IMAGING_MASS_AT_FIBULAR_NECK = auto()
    KNEE_IMAGING_OTHER = auto()


class CauseCategory(ContractEnum):
    CAUSE_PERONEAL_NEUROPATHY = auto()
    CAUSE_SCIATIC_NEUROPATHY = auto()
    CAUSE_L5_RADICULOPATHY = auto()
    CAUSE_LUMBOSACRAL_PLEXOPATHY = auto()
    CAUSE_CAUDA_EQUINA_SYNDROME = auto()
    CAUSE_POLYNEUROPATHY = auto()
    CAUSE_MUSCLE_OR_TENDON_INJURY = auto()
    CAUSE_HEREDITARY_NEUROPATHY = auto()
    CAUSE_MUSCULAR_DYSTROPHY = auto()
    CAUSE_COMPARTMENT_SYNDROME = auto()
    CAUSE_MOTOR_NEURON_DISEASE = auto()
    CAUSE_MULTIPLE_SCLEROSIS = auto()
    CAUSE_STROKE = auto()
    CAUSE_OTHER_BRAIN_LESION = auto()
    CAUSE_SPINAL_CORD_LESION = auto()
    CAUSE_DRUG_TOXICITY = auto()


class CauseGroup(ContractEnum):
    CAUSE_GROUP_NERVE_OR_MUSCLE_DAMAGE = auto()
    CAUSE_GROUP_MUSCLE_OR_NERVE_DISORDER = auto()
    CAUSE_GROUP_CENTRAL_NERVOUS_SYSTEM = auto()
    CAUSE_GROUP_DRUG_REACTION = auto()


class Likelihood(ContractEnum):
    LIKELIHOOD_LIKELY = auto()
    LIKELIHOOD_POSSIBLE = auto()
    LIKELIHOOD_MUST_NOT_MISS = auto()
    LIKELIHOOD_UNLIKELY = auto()


class Urgency(ContractEnum):
    URGENCY_EMERGENCY = auto()
    URGENCY_URGENT = auto()
    URGENCY_ROUTINE = auto()


class AlertKind(ContractEnum):
    ALERT_KIND_CAUDA_EQUINA = auto()
    ALERT_KIND_ANTICOAGULANT_HAEMATOMA = auto()
    ALERT_KIND_COMPARTMENT_SYNDROME = auto()
    ALERT_KIND_ACUTE_STROKE = auto()
    ALERT_KIND_RAPIDLY_PROGRESSIVE_NEUROPATHY = auto()
    ALERT_KIND_ACUTE_CORD_COMPRESSION = auto()
    ALERT_KIND_SPINAL_HAEMATOMA = auto()
    ALERT_KIND_CENTRAL_LESION = auto()
    ALERT_KIND_URGENT_REVIEW = auto()
    ALERT_KIND_ROUTINE_REVIEW = auto()


class TestKind(ContractEnum):
    __test__ = False  # not a pytest test class

    TEST_MRI_LUMBAR_SPINE = auto()
    TEST_MRI_BRAIN = auto()
    TEST_MRI_SPINAL_CORD = auto()
    TEST_EMG_NCS = auto()
    TEST_HBA1C = auto()
    TEST_CK = auto()
    TEST_COMPARTMENT_PRESSURE = auto()
    TEST_KNEE_IMAGING = auto()
    TEST_GENETIC = auto()
    TEST_CT_ABDOMEN_PELVIS = auto()
    TEST_BLADDER_SCAN = auto()
    TEST_RESPIRATORY_FUNCTION = auto()
    TEST_ANKLE_TENDON_IMAGING = auto()


class TreatmentKind(ContractEnum):
    TREATMENT_ANKLE_FOOT_ORTHOSIS = auto()
    TREATMENT_PHYSICAL_THERAPY = auto()
    TREATMENT_PERONEAL_NERVE_STIMULATION_EXTERNAL = auto()
    TREATMENT_PERONEAL_NERVE_STIMULATION_IMPLANTED = auto()
    TREATMENT_NERVE_SURGERY = auto()
    TREATMENT_SPINAL_SURGERY = auto()
    TREATMENT_TENDON_TRANSFER = auto()
    TREATMENT_FASCIOTOMY = auto()
    TREATMENT_REMOVE_COMPRESSION = auto()
    TREATMENT_REVIEW_DRUG = auto()
    TREATMENT_GLYCAEMIC_CONTROL = auto()
    TREATMENT_TENDON_REPAIR = auto()
    TREATMENT_BOTULINUM_TOXIN = auto()


class Leg(ContractEnum):
    LEG_LEFT = auto()
    LEG_RIGHT = auto()


CAUSE_GROUP: dict[CauseCategory, CauseGroup] = {
    CauseCategory.CAUSE_PERONEAL_NEUROPATHY: CauseGroup.CAUSE_GROUP_NERVE_OR_MUSCLE_DAMAGE,
    CauseCategory.CAUSE_SCIATIC_NEUROPATHY: CauseGroup.CAUSE_GROUP_NERVE_OR_MUSCLE_DAMAGE,
    CauseCategory.CAUSE_L5_RADICULOPATHY: CauseGroup.CAUSE_GROUP_NERVE_OR_MUSCLE_DAMAGE,
    CauseCategory.CAUSE_LUMBOSACRAL_PLEXOPATHY: CauseGroup.CAUSE_GROUP_NERVE_OR_MUSCLE_DAMAGE,
    CauseCategory.CAUSE_CAUDA_EQUINA_SYNDROME: CauseGroup.CAUSE_GROUP_NERVE_OR_MUSCLE_DAMAGE,
    CauseCategory.CAUSE_POLYNEUROPATHY: CauseGroup.CAUSE_GROUP_NERVE_OR_MUSCLE_DAMAGE,
    CauseCategory.CAUSE_MUSCLE_OR_TENDON_INJURY: CauseGroup.CAUSE_GROUP_NERVE_OR_MUSCLE_DAMAGE,
    CauseCategory.CAUSE_HEREDITARY_NEUROPATHY: CauseGroup.CAUSE_GROUP_MUSCLE_OR_NERVE_DISORDER,
    CauseCategory.CAUSE_MUSCULAR_DYSTROPHY: CauseGroup.CAUSE_GROUP_MUSCLE_OR_NERVE_DISORDER,
    CauseCategory.CAUSE_COMPARTMENT_SYNDROME: CauseGroup.CAUSE_GROUP_MUSCLE_OR_NERVE_DISORDER,
    CauseCategory.CAUSE_MOTOR_NEURON_DISEASE: CauseGroup.CAUSE_GROUP_CENTRAL_NERVOUS_SYSTEM,
    CauseCategory.CAUSE_MULTIPLE_SCLEROSIS: CauseGroup.CAUSE_GROUP_CENTRAL_NERVOUS_SYSTEM,
    CauseCategory.CAUSE_STROKE: CauseGroup.CAUSE_GROUP_CENTRAL_NERVOUS_SYSTEM,
    CauseCategory.CAUSE_OTHER_BRAIN_LESION: CauseGroup.CAUSE_GROUP_CENTRAL_NERVOUS_SYSTEM,
    CauseCategory.CAUSE_SPINAL_CORD_LESION: CauseGroup.CAUSE_GROUP_CENTRAL_NERVOUS_SYSTEM,
    CauseCategory.CAUSE_DRUG_TOXICITY: CauseGroup.CAUSE_GROUP_DRUG_REACTION,
}

URGENCY_ORDER: dict[Urgency, int] = {
    Urgency.URGENCY_EMERGENCY: 0,
    Urgency.URGENCY_URGENT: 1,
    Urgency.URGENCY_ROUTINE: 2,
}
