"""The contract's enumerations as plain Python enums, so the engine needs no protobuf.

Every member's value is its contract name (e.g. ``Onset.ONSET_SUDDEN == "ONSET_SUDDEN"``);
the ``_UNSPECIFIED`` values of the .proto are absent here because "not recorded" is ``None``.
The enums are generated from the .proto files (cdss/_proto/contract_enums.py, `make proto`),
so they cannot drift from them; this module adds what the .proto does not say.
"""

from __future__ import annotations

from cdss._proto.contract_enums import (
    AlertKind,
    BrainCt,
    BrainMri,
    CauseCategory,
    CauseGroup,
    ContractEnum,
    CordMri,
    Course,
    EmgPattern,
    KneeImaging,
    Leg,
    Likelihood,
    LumbarMri,
    Onset,
    Pain,
    PainSite,
    PelvicCt,
    Plantar,
    Reflex,
    SensoryRegion,
    Sex,
    Side,
    TestKind,
    Tone,
    TreatmentKind,
    Urgency,
)

__all__ = [
    "CAUSE_GROUP",
    "URGENCY_ORDER",
    "AlertKind",
    "BrainCt",
    "BrainMri",
    "CauseCategory",
    "CauseGroup",
    "ContractEnum",
    "CordMri",
    "Course",
    "EmgPattern",
    "KneeImaging",
    "Leg",
    "Likelihood",
    "LumbarMri",
    "Onset",
    "Pain",
    "PainSite",
    "PelvicCt",
    "Plantar",
    "Reflex",
    "SensoryRegion",
    "Sex",
    "Side",
    "TestKind",
    "Tone",
    "TreatmentKind",
    "Urgency",
]

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
