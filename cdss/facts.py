"""Typed, immutable facts of one patient case: the only input the engine accepts.

``None`` means "not examined / not known" throughout, never "normal" or "false"; an empty
``sensory_loss`` means sensation was not examined (``SENSORY_REGION_NONE`` records a normal
examination). Field names are those of the case-format contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from cdss.vocabulary import (
    BrainMri,
    CordMri,
    Course,
    EmgPattern,
    KneeImaging,
    LumbarMri,
    Onset,
    Pain,
    PainSite,
    Plantar,
    Reflex,
    SensoryRegion,
    Sex,
    Side,
    Tone,
)


@dataclass(frozen=True, slots=True)
class Patient:
    age_years: int | None = None
    sex: Sex | None = None


@dataclass(frozen=True, slots=True)
class Presentation:
    side: Side | None = None
    onset: Onset | None = None
    days_since_onset: int | None = None
    course: Course | None = None
    pain: Pain | None = None
    pain_sites: frozenset[PainSite] = frozenset()


@dataclass(frozen=True, slots=True)
class History:
    prolonged_leg_crossing: bool | None = None
    prolonged_squatting_or_kneeling: bool | None = None
    recent_weight_loss: bool | None = None
    prolonged_immobilisation: bool | None = None
    tight_cast_or_bandage: bool | None = None
    recent_knee_surgery: bool | None = None
    recent_hip_surgery: bool | None = None
    recent_spine_surgery: bool | None = None
    recent_abdominal_or_pelvic_surgery: bool | None = None
    lower_leg_trauma: bool | None = None
    buttock_injection: bool | None = None
    recent_childbirth: bool | None = None
    anticoagulated: bool | None = None
    low_back_pain: bool | None = None
    radicular_leg_pain: bool | None = None
    diabetes: bool | None = None
    alcohol_excess: bool | None = None
    multiple_sclerosis: bool | None = None
    prior_stroke: bool | None = None
    vascular_risk_factors: bool | None = None
    cancer: bool | None = None
    family_history_neuromuscular: bool | None = None
    recent_strenuous_exercise: bool | None = None
    bladder_or_bowel_dysfunction: bool | None = None
    saddle_anaesthesia: bool | None = None
    symptoms_in_other_limbs: bool | None = None
    speech_or_swallowing_difficulty: bool | None = None
    visual_disturbance: bool | None = None
    previous_pressure_palsy: bool | None = None


@dataclass(frozen=True, slots=True)
class Medication:
    name: str = ""  # required in practice: validation refuses an empty name
    days_since_start: int | None = None


@dataclass(frozen=True, slots=True)
class LimbExam:
    """One leg's examination. MRC grades 0-5 (5 normal)."""

    ankle_dorsiflexion: int | None = None
    toe_extension: int | None = None
    ankle_eversion: int | None = None
    ankle_inversion: int | None = None
    ankle_plantarflexion: int | None = None
    knee_flexion: int | None = None
    knee_extension: int | None = None
    hip_flexion: int | None = None
    hip_abduction: int | None = None
    hip_extension: int | None = None
    ankle_reflex: Reflex | None = None
    knee_reflex: Reflex | None = None
    plantar_response: Plantar | None = None
    tone: Tone | None = None
    clonus: bool | None = None
    sensory_loss: frozenset[SensoryRegion] = frozenset()
    tinel_fibular_head: bool | None = None
    straight_leg_raise_positive: bool | None = None
    distal_wasting: bool | None = None
    fasciculations: bool | None = None
    pes_cavus: bool | None = None
    compartment_tense: bool | None = None
    pain_on_passive_stretch: bool | None = None
    tibialis_anterior_tendon_palpable: bool | None = None


MRC_FIELDS: tuple[str, ...] = (
    "ankle_dorsiflexion",
    "toe_extension",
    "ankle_eversion",
    "ankle_inversion",
    "ankle_plantarflexion",
    "knee_flexion",
    "knee_extension",
    "hip_flexion",
    "hip_abduction",
    "hip_extension",
)


@dataclass(frozen=True, slots=True)
class GeneralExam:
    upper_limb_weakness: bool | None = None
    facial_weakness: bool | None = None
    dysarthria: bool | None = None
    upper_limb_fasciculations: bool | None = None
    tongue_fasciculations: bool | None = None
    sensory_level: bool | None = None
    proximal_weakness: bool | None = None
    facial_or_neck_weakness_myopathic: bool | None = None
    myotonia: bool | None = None
    cognitive_change: bool | None = None
    ataxia: bool | None = None
    saddle_sensory_loss: bool | None = None
    reduced_anal_tone: bool | None = None
    diastolic_bp_mmhg: float | None = None


@dataclass(frozen=True, slots=True)
class Exam:
    left: LimbExam | None = None
    right: LimbExam | None = None
    general: GeneralExam = field(default_factory=GeneralExam)


@dataclass(frozen=True, slots=True)
class Results:
    emg_ncs: EmgPattern | None = None
    mri_lumbar: LumbarMri | None = None
    mri_brain: BrainMri | None = None
    mri_spinal_cord: CordMri | None = None
    hba1c_percent: float | None = None
    ck_u_per_l: float | None = None
    compartment_pressure_mmhg: float | None = None
    knee_imaging: KneeImaging | None = None


@dataclass(frozen=True, slots=True)
class Case:
    case_id: str = ""
    patient: Patient = field(default_factory=Patient)
    presentation: Presentation = field(default_factory=Presentation)
    history: History = field(default_factory=History)
    medications: tuple[Medication, ...] = ()
    exam: Exam = field(default_factory=Exam)
    results: Results = field(default_factory=Results)


def field_names(cls: type) -> tuple[str, ...]:
    """The field names of one of the dataclasses above, in declaration order."""
    return tuple(f.name for f in fields(cls))
