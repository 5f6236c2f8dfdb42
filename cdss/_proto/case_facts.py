"""Generated from protos/cdss/v1 by scripts/gen_protos.py. Do not edit.

Typed, immutable facts of one patient case: the only input the engine accepts.
None means "not recorded / not examined", never "normal" or "false".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cdss._proto.contract_enums import (
    BrainCt,
    BrainMri,
    CordMri,
    Course,
    EmgPattern,
    KneeImaging,
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
    Tone,
)


@dataclass(frozen=True, slots=True)
class Patient:
    age_years: int | None = None
    sex: Sex | None = None


@dataclass(frozen=True, slots=True)
class Presentation:
    side: Side | None = None  # side of the foot drop
    onset: Onset | None = None
    days_since_onset: int | None = None
    course: Course | None = None
    pain: Pain | None = None
    pain_sites: frozenset[PainSite] = frozenset()
    hours_since_onset: float | None = None  # Hours since onset, or since last known well when the onset was not witnessed; refines days_since_onset in the first days (give both when known).
    onset_unwitnessed: bool | None = None  # noticed on waking or found so; timed from last known well


@dataclass(frozen=True, slots=True)
class History:
    """Each item: absent = unknown, false = asked and absent."""

    prolonged_leg_crossing: bool | None = None
    prolonged_squatting_or_kneeling: bool | None = None
    recent_weight_loss: bool | None = None
    prolonged_immobilisation: bool | None = None  # bed rest, long surgery, ICU, coma
    tight_cast_or_bandage: bool | None = None
    recent_knee_surgery: bool | None = None
    recent_hip_surgery: bool | None = None
    recent_spine_surgery: bool | None = None
    recent_abdominal_or_pelvic_surgery: bool | None = None
    lower_leg_trauma: bool | None = None  # fracture, knee dislocation, blow to the fibular head
    buttock_injection: bool | None = None
    recent_childbirth: bool | None = None
    anticoagulated: bool | None = None
    low_back_pain: bool | None = None
    radicular_leg_pain: bool | None = None
    diabetes: bool | None = None
    alcohol_excess: bool | None = None
    multiple_sclerosis: bool | None = None
    prior_stroke: bool | None = None
    vascular_risk_factors: bool | None = None  # hypertension, AF, smoking, hyperlipidaemia
    cancer: bool | None = None
    family_history_neuromuscular: bool | None = None
    recent_strenuous_exercise: bool | None = None
    bladder_or_bowel_dysfunction: bool | None = None
    saddle_anaesthesia: bool | None = None
    symptoms_in_other_limbs: bool | None = None  # weakness or numbness beyond the affected leg
    speech_or_swallowing_difficulty: bool | None = None
    visual_disturbance: bool | None = None
    previous_pressure_palsy: bool | None = None  # an earlier palsy after pressure that recovered
    antiplatelet: bool | None = None  # Contract 1.1 from here on. Aspirin, clopidogrel, prasugrel, ticagrelor or dipyridamole; a medication of that class in `medications` counts the same.
    head_injury: bool | None = None
    recent_fall: bool | None = None
    headache: bool | None = None  # new, severe or persistent
    seizure: bool | None = None
    fever: bool | None = None  # 38 degrees C or above, or rigors
    injection_drug_use: bool | None = None
    immunosuppressed: bool | None = None  # HIV, transplant, long-term steroids, chemotherapy
    recent_infection: bool | None = None  # diarrhoea or a respiratory infection within 6 weeks
    nitrous_oxide_use: bool | None = None  # recreational or repeated
    thyroid_disease: bool | None = None
    systemic_inflammatory_disease: bool | None = None  # vasculitis, RA, lupus, sarcoidosis
    tick_bite: bool | None = None  # a tick bite or erythema migrans
    neuraxial_procedure: bool | None = None  # epidural/spinal anaesthesia, LP or spinal injection, 2 weeks
    lithotomy_or_prolonged_surgery: bool | None = None  # over 4 hours, or lithotomy or prone
    neck_injury: bool | None = None


@dataclass(frozen=True, slots=True)
class Medication:
    name: str = ""  # generic name, lower case, e.g. "vincristine"
    days_since_start: int | None = None


@dataclass(frozen=True, slots=True)
class LimbExam:
    """One leg. MRC grades 0-5 (0 none, 5 normal); absent = not examined."""

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
    clonus: bool | None = None  # sustained ankle clonus
    sensory_loss: frozenset[SensoryRegion] = frozenset()  # NONE = examined and normal
    tinel_fibular_head: bool | None = None
    straight_leg_raise_positive: bool | None = None
    distal_wasting: bool | None = None
    fasciculations: bool | None = None
    pes_cavus: bool | None = None
    compartment_tense: bool | None = None
    pain_on_passive_stretch: bool | None = None
    tibialis_anterior_tendon_palpable: bool | None = None  # false = not felt (possible rupture)
    foot_pulses_absent: bool | None = None  # no dorsalis pedis or posterior tibial pulse
    limb_cold_or_pale: bool | None = None
    limb_swelling: bool | None = None  # swollen calf or thigh
    nerve_thickened: bool | None = None  # palpably thickened common peroneal nerve at the fibular neck


@dataclass(frozen=True, slots=True)
class GeneralExam:
    upper_limb_weakness: bool | None = None
    facial_weakness: bool | None = None
    dysarthria: bool | None = None
    upper_limb_fasciculations: bool | None = None
    tongue_fasciculations: bool | None = None
    sensory_level: bool | None = None  # a trunk sensory level
    proximal_weakness: bool | None = None  # symmetrical hip/shoulder girdle
    facial_or_neck_weakness_myopathic: bool | None = None
    myotonia: bool | None = None
    cognitive_change: bool | None = None
    ataxia: bool | None = None
    saddle_sensory_loss: bool | None = None
    reduced_anal_tone: bool | None = None
    diastolic_bp_mmhg: float | None = None  # With the compartment pressure it gives the delta pressure.
    reduced_consciousness: bool | None = None  # drowsy, GCS below 15 or new confusion
    respiratory_weakness: bool | None = None  # breathless lying flat, weak cough, falling VC
    upper_limb_reflexes: Reflex | None = None  # both arms together
    facial_weakness_forehead_involved: bool | None = None  # true: the forehead is weak too (a lower-motor-neuron facial palsy); false: forehead spared.


@dataclass(frozen=True, slots=True)
class Exam:
    left: LimbExam | None = None  # absent = not examined
    right: LimbExam | None = None
    general: GeneralExam = field(default_factory=GeneralExam)


@dataclass(frozen=True, slots=True)
class Results:
    """Investigations already done; absent = not done."""

    emg_ncs: EmgPattern | None = None
    mri_lumbar: LumbarMri | None = None
    mri_brain: BrainMri | None = None
    mri_spinal_cord: CordMri | None = None
    hba1c_percent: float | None = None
    ck_u_per_l: float | None = None  # Creatine kinase.
    compartment_pressure_mmhg: float | None = None  # Intracompartmental pressure.
    knee_imaging: KneeImaging | None = None
    ct_brain: BrainCt | None = None
    ct_abdomen_pelvis: PelvicCt | None = None
    blood_glucose_mmol_l: float | None = None
    b12_low: bool | None = None  # low B12, or raised methylmalonic acid or homocysteine
    inflammatory_markers_raised: bool | None = None  # ESR or CRP
    csf_protein_raised: bool | None = None  # with a normal cell count
    thyroid_function_abnormal: bool | None = None


@dataclass(frozen=True, slots=True)
class Case:
    case_id: str = ""  # opaque id chosen by the caller; never a name or record number
    patient: Patient = field(default_factory=Patient)
    presentation: Presentation = field(default_factory=Presentation)
    history: History = field(default_factory=History)
    medications: tuple[Medication, ...] = ()
    exam: Exam = field(default_factory=Exam)
    results: Results = field(default_factory=Results)


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
