from cdss._proto import field_options_pb2 as _field_options_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Sex(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SEX_UNSPECIFIED: _ClassVar[Sex]
    SEX_FEMALE: _ClassVar[Sex]
    SEX_MALE: _ClassVar[Sex]
    SEX_OTHER: _ClassVar[Sex]

class Side(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SIDE_UNSPECIFIED: _ClassVar[Side]
    SIDE_LEFT: _ClassVar[Side]
    SIDE_RIGHT: _ClassVar[Side]
    SIDE_BILATERAL: _ClassVar[Side]

class Onset(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ONSET_UNSPECIFIED: _ClassVar[Onset]
    ONSET_SUDDEN: _ClassVar[Onset]
    ONSET_ACUTE: _ClassVar[Onset]
    ONSET_SUBACUTE: _ClassVar[Onset]
    ONSET_GRADUAL: _ClassVar[Onset]

class Course(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    COURSE_UNSPECIFIED: _ClassVar[Course]
    COURSE_IMPROVING: _ClassVar[Course]
    COURSE_STABLE: _ClassVar[Course]
    COURSE_WORSENING: _ClassVar[Course]
    COURSE_FLUCTUATING: _ClassVar[Course]

class Pain(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PAIN_UNSPECIFIED: _ClassVar[Pain]
    PAIN_NONE: _ClassVar[Pain]
    PAIN_MILD: _ClassVar[Pain]
    PAIN_SEVERE: _ClassVar[Pain]
    PAIN_OUT_OF_PROPORTION: _ClassVar[Pain]

class PainSite(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PAIN_SITE_UNSPECIFIED: _ClassVar[PainSite]
    PAIN_SITE_LOW_BACK: _ClassVar[PainSite]
    PAIN_SITE_BUTTOCK: _ClassVar[PainSite]
    PAIN_SITE_POSTERIOR_THIGH: _ClassVar[PainSite]
    PAIN_SITE_LATERAL_LEG: _ClassVar[PainSite]
    PAIN_SITE_ANTERIOR_LEG: _ClassVar[PainSite]
    PAIN_SITE_FOOT: _ClassVar[PainSite]
    PAIN_SITE_GROIN: _ClassVar[PainSite]
    PAIN_SITE_KNEE: _ClassVar[PainSite]

class Reflex(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REFLEX_UNSPECIFIED: _ClassVar[Reflex]
    REFLEX_ABSENT: _ClassVar[Reflex]
    REFLEX_REDUCED: _ClassVar[Reflex]
    REFLEX_NORMAL: _ClassVar[Reflex]
    REFLEX_BRISK: _ClassVar[Reflex]

class Plantar(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PLANTAR_UNSPECIFIED: _ClassVar[Plantar]
    PLANTAR_FLEXOR: _ClassVar[Plantar]
    PLANTAR_EXTENSOR: _ClassVar[Plantar]
    PLANTAR_EQUIVOCAL: _ClassVar[Plantar]

class Tone(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TONE_UNSPECIFIED: _ClassVar[Tone]
    TONE_NORMAL: _ClassVar[Tone]
    TONE_SPASTIC: _ClassVar[Tone]
    TONE_FLACCID: _ClassVar[Tone]

class SensoryRegion(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SENSORY_REGION_UNSPECIFIED: _ClassVar[SensoryRegion]
    SENSORY_REGION_NONE: _ClassVar[SensoryRegion]
    SENSORY_REGION_FIRST_WEB_SPACE: _ClassVar[SensoryRegion]
    SENSORY_REGION_DORSUM_FOOT_LATERAL_LEG: _ClassVar[SensoryRegion]
    SENSORY_REGION_SOLE: _ClassVar[SensoryRegion]
    SENSORY_REGION_LATERAL_FOOT: _ClassVar[SensoryRegion]
    SENSORY_REGION_POSTERIOR_THIGH: _ClassVar[SensoryRegion]
    SENSORY_REGION_STOCKING: _ClassVar[SensoryRegion]

class EmgPattern(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EMG_PATTERN_UNSPECIFIED: _ClassVar[EmgPattern]
    EMG_PATTERN_NORMAL: _ClassVar[EmgPattern]
    EMG_PATTERN_PERONEAL_NEUROPATHY_FIBULAR_HEAD: _ClassVar[EmgPattern]
    EMG_PATTERN_SCIATIC_NEUROPATHY: _ClassVar[EmgPattern]
    EMG_PATTERN_L5_RADICULOPATHY: _ClassVar[EmgPattern]
    EMG_PATTERN_LUMBOSACRAL_PLEXOPATHY: _ClassVar[EmgPattern]
    EMG_PATTERN_AXONAL_POLYNEUROPATHY: _ClassVar[EmgPattern]
    EMG_PATTERN_DEMYELINATING_POLYNEUROPATHY: _ClassVar[EmgPattern]
    EMG_PATTERN_WIDESPREAD_DENERVATION: _ClassVar[EmgPattern]
    EMG_PATTERN_MYOPATHIC: _ClassVar[EmgPattern]

class LumbarMri(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LUMBAR_MRI_UNSPECIFIED: _ClassVar[LumbarMri]
    LUMBAR_MRI_NORMAL: _ClassVar[LumbarMri]
    LUMBAR_MRI_L5_ROOT_COMPRESSION: _ClassVar[LumbarMri]
    LUMBAR_MRI_CAUDA_EQUINA_COMPRESSION: _ClassVar[LumbarMri]
    LUMBAR_MRI_OTHER: _ClassVar[LumbarMri]

class BrainMri(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BRAIN_MRI_UNSPECIFIED: _ClassVar[BrainMri]
    BRAIN_MRI_NORMAL: _ClassVar[BrainMri]
    BRAIN_MRI_ACUTE_INFARCT: _ClassVar[BrainMri]
    BRAIN_MRI_HAEMORRHAGE: _ClassVar[BrainMri]
    BRAIN_MRI_DEMYELINATION: _ClassVar[BrainMri]
    BRAIN_MRI_PARASAGITTAL_MASS: _ClassVar[BrainMri]
    BRAIN_MRI_OTHER: _ClassVar[BrainMri]

class CordMri(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CORD_MRI_UNSPECIFIED: _ClassVar[CordMri]
    CORD_MRI_NORMAL: _ClassVar[CordMri]
    CORD_MRI_COMPRESSION: _ClassVar[CordMri]
    CORD_MRI_DEMYELINATION: _ClassVar[CordMri]
    CORD_MRI_OTHER: _ClassVar[CordMri]

class KneeImaging(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    KNEE_IMAGING_UNSPECIFIED: _ClassVar[KneeImaging]
    KNEE_IMAGING_NORMAL: _ClassVar[KneeImaging]
    KNEE_IMAGING_MASS_AT_FIBULAR_NECK: _ClassVar[KneeImaging]
    KNEE_IMAGING_OTHER: _ClassVar[KneeImaging]

class BrainCt(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BRAIN_CT_UNSPECIFIED: _ClassVar[BrainCt]
    BRAIN_CT_NORMAL: _ClassVar[BrainCt]
    BRAIN_CT_HAEMORRHAGE: _ClassVar[BrainCt]
    BRAIN_CT_INFARCT: _ClassVar[BrainCt]
    BRAIN_CT_MASS: _ClassVar[BrainCt]
    BRAIN_CT_OTHER: _ClassVar[BrainCt]

class PelvicCt(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PELVIC_CT_UNSPECIFIED: _ClassVar[PelvicCt]
    PELVIC_CT_NORMAL: _ClassVar[PelvicCt]
    PELVIC_CT_HAEMATOMA: _ClassVar[PelvicCt]
    PELVIC_CT_MASS: _ClassVar[PelvicCt]
    PELVIC_CT_OTHER: _ClassVar[PelvicCt]
SEX_UNSPECIFIED: Sex
SEX_FEMALE: Sex
SEX_MALE: Sex
SEX_OTHER: Sex
SIDE_UNSPECIFIED: Side
SIDE_LEFT: Side
SIDE_RIGHT: Side
SIDE_BILATERAL: Side
ONSET_UNSPECIFIED: Onset
ONSET_SUDDEN: Onset
ONSET_ACUTE: Onset
ONSET_SUBACUTE: Onset
ONSET_GRADUAL: Onset
COURSE_UNSPECIFIED: Course
COURSE_IMPROVING: Course
COURSE_STABLE: Course
COURSE_WORSENING: Course
COURSE_FLUCTUATING: Course
PAIN_UNSPECIFIED: Pain
PAIN_NONE: Pain
PAIN_MILD: Pain
PAIN_SEVERE: Pain
PAIN_OUT_OF_PROPORTION: Pain
PAIN_SITE_UNSPECIFIED: PainSite
PAIN_SITE_LOW_BACK: PainSite
PAIN_SITE_BUTTOCK: PainSite
PAIN_SITE_POSTERIOR_THIGH: PainSite
PAIN_SITE_LATERAL_LEG: PainSite
PAIN_SITE_ANTERIOR_LEG: PainSite
PAIN_SITE_FOOT: PainSite
PAIN_SITE_GROIN: PainSite
PAIN_SITE_KNEE: PainSite
REFLEX_UNSPECIFIED: Reflex
REFLEX_ABSENT: Reflex
REFLEX_REDUCED: Reflex
REFLEX_NORMAL: Reflex
REFLEX_BRISK: Reflex
PLANTAR_UNSPECIFIED: Plantar
PLANTAR_FLEXOR: Plantar
PLANTAR_EXTENSOR: Plantar
PLANTAR_EQUIVOCAL: Plantar
TONE_UNSPECIFIED: Tone
TONE_NORMAL: Tone
TONE_SPASTIC: Tone
TONE_FLACCID: Tone
SENSORY_REGION_UNSPECIFIED: SensoryRegion
SENSORY_REGION_NONE: SensoryRegion
SENSORY_REGION_FIRST_WEB_SPACE: SensoryRegion
SENSORY_REGION_DORSUM_FOOT_LATERAL_LEG: SensoryRegion
SENSORY_REGION_SOLE: SensoryRegion
SENSORY_REGION_LATERAL_FOOT: SensoryRegion
SENSORY_REGION_POSTERIOR_THIGH: SensoryRegion
SENSORY_REGION_STOCKING: SensoryRegion
EMG_PATTERN_UNSPECIFIED: EmgPattern
EMG_PATTERN_NORMAL: EmgPattern
EMG_PATTERN_PERONEAL_NEUROPATHY_FIBULAR_HEAD: EmgPattern
EMG_PATTERN_SCIATIC_NEUROPATHY: EmgPattern
EMG_PATTERN_L5_RADICULOPATHY: EmgPattern
EMG_PATTERN_LUMBOSACRAL_PLEXOPATHY: EmgPattern
EMG_PATTERN_AXONAL_POLYNEUROPATHY: EmgPattern
EMG_PATTERN_DEMYELINATING_POLYNEUROPATHY: EmgPattern
EMG_PATTERN_WIDESPREAD_DENERVATION: EmgPattern
EMG_PATTERN_MYOPATHIC: EmgPattern
LUMBAR_MRI_UNSPECIFIED: LumbarMri
LUMBAR_MRI_NORMAL: LumbarMri
LUMBAR_MRI_L5_ROOT_COMPRESSION: LumbarMri
LUMBAR_MRI_CAUDA_EQUINA_COMPRESSION: LumbarMri
LUMBAR_MRI_OTHER: LumbarMri
BRAIN_MRI_UNSPECIFIED: BrainMri
BRAIN_MRI_NORMAL: BrainMri
BRAIN_MRI_ACUTE_INFARCT: BrainMri
BRAIN_MRI_HAEMORRHAGE: BrainMri
BRAIN_MRI_DEMYELINATION: BrainMri
BRAIN_MRI_PARASAGITTAL_MASS: BrainMri
BRAIN_MRI_OTHER: BrainMri
CORD_MRI_UNSPECIFIED: CordMri
CORD_MRI_NORMAL: CordMri
CORD_MRI_COMPRESSION: CordMri
CORD_MRI_DEMYELINATION: CordMri
CORD_MRI_OTHER: CordMri
KNEE_IMAGING_UNSPECIFIED: KneeImaging
KNEE_IMAGING_NORMAL: KneeImaging
KNEE_IMAGING_MASS_AT_FIBULAR_NECK: KneeImaging
KNEE_IMAGING_OTHER: KneeImaging
BRAIN_CT_UNSPECIFIED: BrainCt
BRAIN_CT_NORMAL: BrainCt
BRAIN_CT_HAEMORRHAGE: BrainCt
BRAIN_CT_INFARCT: BrainCt
BRAIN_CT_MASS: BrainCt
BRAIN_CT_OTHER: BrainCt
PELVIC_CT_UNSPECIFIED: PelvicCt
PELVIC_CT_NORMAL: PelvicCt
PELVIC_CT_HAEMATOMA: PelvicCt
PELVIC_CT_MASS: PelvicCt
PELVIC_CT_OTHER: PelvicCt

class Patient(_message.Message):
    __slots__ = ("age_years", "sex")
    AGE_YEARS_FIELD_NUMBER: _ClassVar[int]
    SEX_FIELD_NUMBER: _ClassVar[int]
    age_years: int
    sex: Sex
    def __init__(self, age_years: _Optional[int] = ..., sex: _Optional[_Union[Sex, str]] = ...) -> None: ...

class Presentation(_message.Message):
    __slots__ = ("side", "onset", "days_since_onset", "course", "pain", "pain_sites", "hours_since_onset", "onset_unwitnessed")
    SIDE_FIELD_NUMBER: _ClassVar[int]
    ONSET_FIELD_NUMBER: _ClassVar[int]
    DAYS_SINCE_ONSET_FIELD_NUMBER: _ClassVar[int]
    COURSE_FIELD_NUMBER: _ClassVar[int]
    PAIN_FIELD_NUMBER: _ClassVar[int]
    PAIN_SITES_FIELD_NUMBER: _ClassVar[int]
    HOURS_SINCE_ONSET_FIELD_NUMBER: _ClassVar[int]
    ONSET_UNWITNESSED_FIELD_NUMBER: _ClassVar[int]
    side: Side
    onset: Onset
    days_since_onset: int
    course: Course
    pain: Pain
    pain_sites: _containers.RepeatedScalarFieldContainer[PainSite]
    hours_since_onset: float
    onset_unwitnessed: bool
    def __init__(self, side: _Optional[_Union[Side, str]] = ..., onset: _Optional[_Union[Onset, str]] = ..., days_since_onset: _Optional[int] = ..., course: _Optional[_Union[Course, str]] = ..., pain: _Optional[_Union[Pain, str]] = ..., pain_sites: _Optional[_Iterable[_Union[PainSite, str]]] = ..., hours_since_onset: _Optional[float] = ..., onset_unwitnessed: _Optional[bool] = ...) -> None: ...

class History(_message.Message):
    __slots__ = ("prolonged_leg_crossing", "prolonged_squatting_or_kneeling", "recent_weight_loss", "prolonged_immobilisation", "tight_cast_or_bandage", "recent_knee_surgery", "recent_hip_surgery", "recent_spine_surgery", "recent_abdominal_or_pelvic_surgery", "lower_leg_trauma", "buttock_injection", "recent_childbirth", "anticoagulated", "low_back_pain", "radicular_leg_pain", "diabetes", "alcohol_excess", "multiple_sclerosis", "prior_stroke", "vascular_risk_factors", "cancer", "family_history_neuromuscular", "recent_strenuous_exercise", "bladder_or_bowel_dysfunction", "saddle_anaesthesia", "symptoms_in_other_limbs", "speech_or_swallowing_difficulty", "visual_disturbance", "previous_pressure_palsy", "antiplatelet", "head_injury", "recent_fall", "headache", "seizure", "fever", "injection_drug_use", "immunosuppressed", "recent_infection", "nitrous_oxide_use", "thyroid_disease", "systemic_inflammatory_disease", "tick_bite", "neuraxial_procedure", "lithotomy_or_prolonged_surgery", "neck_injury")
    PROLONGED_LEG_CROSSING_FIELD_NUMBER: _ClassVar[int]
    PROLONGED_SQUATTING_OR_KNEELING_FIELD_NUMBER: _ClassVar[int]
    RECENT_WEIGHT_LOSS_FIELD_NUMBER: _ClassVar[int]
    PROLONGED_IMMOBILISATION_FIELD_NUMBER: _ClassVar[int]
    TIGHT_CAST_OR_BANDAGE_FIELD_NUMBER: _ClassVar[int]
    RECENT_KNEE_SURGERY_FIELD_NUMBER: _ClassVar[int]
    RECENT_HIP_SURGERY_FIELD_NUMBER: _ClassVar[int]
    RECENT_SPINE_SURGERY_FIELD_NUMBER: _ClassVar[int]
    RECENT_ABDOMINAL_OR_PELVIC_SURGERY_FIELD_NUMBER: _ClassVar[int]
    LOWER_LEG_TRAUMA_FIELD_NUMBER: _ClassVar[int]
    BUTTOCK_INJECTION_FIELD_NUMBER: _ClassVar[int]
    RECENT_CHILDBIRTH_FIELD_NUMBER: _ClassVar[int]
    ANTICOAGULATED_FIELD_NUMBER: _ClassVar[int]
    LOW_BACK_PAIN_FIELD_NUMBER: _ClassVar[int]
    RADICULAR_LEG_PAIN_FIELD_NUMBER: _ClassVar[int]
    DIABETES_FIELD_NUMBER: _ClassVar[int]
    ALCOHOL_EXCESS_FIELD_NUMBER: _ClassVar[int]
    MULTIPLE_SCLEROSIS_FIELD_NUMBER: _ClassVar[int]
    PRIOR_STROKE_FIELD_NUMBER: _ClassVar[int]
    VASCULAR_RISK_FACTORS_FIELD_NUMBER: _ClassVar[int]
    CANCER_FIELD_NUMBER: _ClassVar[int]
    FAMILY_HISTORY_NEUROMUSCULAR_FIELD_NUMBER: _ClassVar[int]
    RECENT_STRENUOUS_EXERCISE_FIELD_NUMBER: _ClassVar[int]
    BLADDER_OR_BOWEL_DYSFUNCTION_FIELD_NUMBER: _ClassVar[int]
    SADDLE_ANAESTHESIA_FIELD_NUMBER: _ClassVar[int]
    SYMPTOMS_IN_OTHER_LIMBS_FIELD_NUMBER: _ClassVar[int]
    SPEECH_OR_SWALLOWING_DIFFICULTY_FIELD_NUMBER: _ClassVar[int]
    VISUAL_DISTURBANCE_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_PRESSURE_PALSY_FIELD_NUMBER: _ClassVar[int]
    ANTIPLATELET_FIELD_NUMBER: _ClassVar[int]
    HEAD_INJURY_FIELD_NUMBER: _ClassVar[int]
    RECENT_FALL_FIELD_NUMBER: _ClassVar[int]
    HEADACHE_FIELD_NUMBER: _ClassVar[int]
    SEIZURE_FIELD_NUMBER: _ClassVar[int]
    FEVER_FIELD_NUMBER: _ClassVar[int]
    INJECTION_DRUG_USE_FIELD_NUMBER: _ClassVar[int]
    IMMUNOSUPPRESSED_FIELD_NUMBER: _ClassVar[int]
    RECENT_INFECTION_FIELD_NUMBER: _ClassVar[int]
    NITROUS_OXIDE_USE_FIELD_NUMBER: _ClassVar[int]
    THYROID_DISEASE_FIELD_NUMBER: _ClassVar[int]
    SYSTEMIC_INFLAMMATORY_DISEASE_FIELD_NUMBER: _ClassVar[int]
    TICK_BITE_FIELD_NUMBER: _ClassVar[int]
    NEURAXIAL_PROCEDURE_FIELD_NUMBER: _ClassVar[int]
    LITHOTOMY_OR_PROLONGED_SURGERY_FIELD_NUMBER: _ClassVar[int]
    NECK_INJURY_FIELD_NUMBER: _ClassVar[int]
    prolonged_leg_crossing: bool
    prolonged_squatting_or_kneeling: bool
    recent_weight_loss: bool
    prolonged_immobilisation: bool
    tight_cast_or_bandage: bool
    recent_knee_surgery: bool
    recent_hip_surgery: bool
    recent_spine_surgery: bool
    recent_abdominal_or_pelvic_surgery: bool
    lower_leg_trauma: bool
    buttock_injection: bool
    recent_childbirth: bool
    anticoagulated: bool
    low_back_pain: bool
    radicular_leg_pain: bool
    diabetes: bool
    alcohol_excess: bool
    multiple_sclerosis: bool
    prior_stroke: bool
    vascular_risk_factors: bool
    cancer: bool
    family_history_neuromuscular: bool
    recent_strenuous_exercise: bool
    bladder_or_bowel_dysfunction: bool
    saddle_anaesthesia: bool
    symptoms_in_other_limbs: bool
    speech_or_swallowing_difficulty: bool
    visual_disturbance: bool
    previous_pressure_palsy: bool
    antiplatelet: bool
    head_injury: bool
    recent_fall: bool
    headache: bool
    seizure: bool
    fever: bool
    injection_drug_use: bool
    immunosuppressed: bool
    recent_infection: bool
    nitrous_oxide_use: bool
    thyroid_disease: bool
    systemic_inflammatory_disease: bool
    tick_bite: bool
    neuraxial_procedure: bool
    lithotomy_or_prolonged_surgery: bool
    neck_injury: bool
    def __init__(self, prolonged_leg_crossing: _Optional[bool] = ..., prolonged_squatting_or_kneeling: _Optional[bool] = ..., recent_weight_loss: _Optional[bool] = ..., prolonged_immobilisation: _Optional[bool] = ..., tight_cast_or_bandage: _Optional[bool] = ..., recent_knee_surgery: _Optional[bool] = ..., recent_hip_surgery: _Optional[bool] = ..., recent_spine_surgery: _Optional[bool] = ..., recent_abdominal_or_pelvic_surgery: _Optional[bool] = ..., lower_leg_trauma: _Optional[bool] = ..., buttock_injection: _Optional[bool] = ..., recent_childbirth: _Optional[bool] = ..., anticoagulated: _Optional[bool] = ..., low_back_pain: _Optional[bool] = ..., radicular_leg_pain: _Optional[bool] = ..., diabetes: _Optional[bool] = ..., alcohol_excess: _Optional[bool] = ..., multiple_sclerosis: _Optional[bool] = ..., prior_stroke: _Optional[bool] = ..., vascular_risk_factors: _Optional[bool] = ..., cancer: _Optional[bool] = ..., family_history_neuromuscular: _Optional[bool] = ..., recent_strenuous_exercise: _Optional[bool] = ..., bladder_or_bowel_dysfunction: _Optional[bool] = ..., saddle_anaesthesia: _Optional[bool] = ..., symptoms_in_other_limbs: _Optional[bool] = ..., speech_or_swallowing_difficulty: _Optional[bool] = ..., visual_disturbance: _Optional[bool] = ..., previous_pressure_palsy: _Optional[bool] = ..., antiplatelet: _Optional[bool] = ..., head_injury: _Optional[bool] = ..., recent_fall: _Optional[bool] = ..., headache: _Optional[bool] = ..., seizure: _Optional[bool] = ..., fever: _Optional[bool] = ..., injection_drug_use: _Optional[bool] = ..., immunosuppressed: _Optional[bool] = ..., recent_infection: _Optional[bool] = ..., nitrous_oxide_use: _Optional[bool] = ..., thyroid_disease: _Optional[bool] = ..., systemic_inflammatory_disease: _Optional[bool] = ..., tick_bite: _Optional[bool] = ..., neuraxial_procedure: _Optional[bool] = ..., lithotomy_or_prolonged_surgery: _Optional[bool] = ..., neck_injury: _Optional[bool] = ...) -> None: ...

class Medication(_message.Message):
    __slots__ = ("name", "days_since_start")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DAYS_SINCE_START_FIELD_NUMBER: _ClassVar[int]
    name: str
    days_since_start: int
    def __init__(self, name: _Optional[str] = ..., days_since_start: _Optional[int] = ...) -> None: ...

class LimbExam(_message.Message):
    __slots__ = ("ankle_dorsiflexion", "toe_extension", "ankle_eversion", "ankle_inversion", "ankle_plantarflexion", "knee_flexion", "knee_extension", "hip_flexion", "hip_abduction", "hip_extension", "ankle_reflex", "knee_reflex", "plantar_response", "tone", "clonus", "sensory_loss", "tinel_fibular_head", "straight_leg_raise_positive", "distal_wasting", "fasciculations", "pes_cavus", "compartment_tense", "pain_on_passive_stretch", "tibialis_anterior_tendon_palpable", "foot_pulses_absent", "limb_cold_or_pale", "limb_swelling", "nerve_thickened")
    ANKLE_DORSIFLEXION_FIELD_NUMBER: _ClassVar[int]
    TOE_EXTENSION_FIELD_NUMBER: _ClassVar[int]
    ANKLE_EVERSION_FIELD_NUMBER: _ClassVar[int]
    ANKLE_INVERSION_FIELD_NUMBER: _ClassVar[int]
    ANKLE_PLANTARFLEXION_FIELD_NUMBER: _ClassVar[int]
    KNEE_FLEXION_FIELD_NUMBER: _ClassVar[int]
    KNEE_EXTENSION_FIELD_NUMBER: _ClassVar[int]
    HIP_FLEXION_FIELD_NUMBER: _ClassVar[int]
    HIP_ABDUCTION_FIELD_NUMBER: _ClassVar[int]
    HIP_EXTENSION_FIELD_NUMBER: _ClassVar[int]
    ANKLE_REFLEX_FIELD_NUMBER: _ClassVar[int]
    KNEE_REFLEX_FIELD_NUMBER: _ClassVar[int]
    PLANTAR_RESPONSE_FIELD_NUMBER: _ClassVar[int]
    TONE_FIELD_NUMBER: _ClassVar[int]
    CLONUS_FIELD_NUMBER: _ClassVar[int]
    SENSORY_LOSS_FIELD_NUMBER: _ClassVar[int]
    TINEL_FIBULAR_HEAD_FIELD_NUMBER: _ClassVar[int]
    STRAIGHT_LEG_RAISE_POSITIVE_FIELD_NUMBER: _ClassVar[int]
    DISTAL_WASTING_FIELD_NUMBER: _ClassVar[int]
    FASCICULATIONS_FIELD_NUMBER: _ClassVar[int]
    PES_CAVUS_FIELD_NUMBER: _ClassVar[int]
    COMPARTMENT_TENSE_FIELD_NUMBER: _ClassVar[int]
    PAIN_ON_PASSIVE_STRETCH_FIELD_NUMBER: _ClassVar[int]
    TIBIALIS_ANTERIOR_TENDON_PALPABLE_FIELD_NUMBER: _ClassVar[int]
    FOOT_PULSES_ABSENT_FIELD_NUMBER: _ClassVar[int]
    LIMB_COLD_OR_PALE_FIELD_NUMBER: _ClassVar[int]
    LIMB_SWELLING_FIELD_NUMBER: _ClassVar[int]
    NERVE_THICKENED_FIELD_NUMBER: _ClassVar[int]
    ankle_dorsiflexion: int
    toe_extension: int
    ankle_eversion: int
    ankle_inversion: int
    ankle_plantarflexion: int
    knee_flexion: int
    knee_extension: int
    hip_flexion: int
    hip_abduction: int
    hip_extension: int
    ankle_reflex: Reflex
    knee_reflex: Reflex
    plantar_response: Plantar
    tone: Tone
    clonus: bool
    sensory_loss: _containers.RepeatedScalarFieldContainer[SensoryRegion]
    tinel_fibular_head: bool
    straight_leg_raise_positive: bool
    distal_wasting: bool
    fasciculations: bool
    pes_cavus: bool
    compartment_tense: bool
    pain_on_passive_stretch: bool
    tibialis_anterior_tendon_palpable: bool
    foot_pulses_absent: bool
    limb_cold_or_pale: bool
    limb_swelling: bool
    nerve_thickened: bool
    def __init__(self, ankle_dorsiflexion: _Optional[int] = ..., toe_extension: _Optional[int] = ..., ankle_eversion: _Optional[int] = ..., ankle_inversion: _Optional[int] = ..., ankle_plantarflexion: _Optional[int] = ..., knee_flexion: _Optional[int] = ..., knee_extension: _Optional[int] = ..., hip_flexion: _Optional[int] = ..., hip_abduction: _Optional[int] = ..., hip_extension: _Optional[int] = ..., ankle_reflex: _Optional[_Union[Reflex, str]] = ..., knee_reflex: _Optional[_Union[Reflex, str]] = ..., plantar_response: _Optional[_Union[Plantar, str]] = ..., tone: _Optional[_Union[Tone, str]] = ..., clonus: _Optional[bool] = ..., sensory_loss: _Optional[_Iterable[_Union[SensoryRegion, str]]] = ..., tinel_fibular_head: _Optional[bool] = ..., straight_leg_raise_positive: _Optional[bool] = ..., distal_wasting: _Optional[bool] = ..., fasciculations: _Optional[bool] = ..., pes_cavus: _Optional[bool] = ..., compartment_tense: _Optional[bool] = ..., pain_on_passive_stretch: _Optional[bool] = ..., tibialis_anterior_tendon_palpable: _Optional[bool] = ..., foot_pulses_absent: _Optional[bool] = ..., limb_cold_or_pale: _Optional[bool] = ..., limb_swelling: _Optional[bool] = ..., nerve_thickened: _Optional[bool] = ...) -> None: ...

class GeneralExam(_message.Message):
    __slots__ = ("upper_limb_weakness", "facial_weakness", "dysarthria", "upper_limb_fasciculations", "tongue_fasciculations", "sensory_level", "proximal_weakness", "facial_or_neck_weakness_myopathic", "myotonia", "cognitive_change", "ataxia", "saddle_sensory_loss", "reduced_anal_tone", "diastolic_bp_mmhg", "reduced_consciousness", "respiratory_weakness", "upper_limb_reflexes", "facial_weakness_forehead_involved")
    UPPER_LIMB_WEAKNESS_FIELD_NUMBER: _ClassVar[int]
    FACIAL_WEAKNESS_FIELD_NUMBER: _ClassVar[int]
    DYSARTHRIA_FIELD_NUMBER: _ClassVar[int]
    UPPER_LIMB_FASCICULATIONS_FIELD_NUMBER: _ClassVar[int]
    TONGUE_FASCICULATIONS_FIELD_NUMBER: _ClassVar[int]
    SENSORY_LEVEL_FIELD_NUMBER: _ClassVar[int]
    PROXIMAL_WEAKNESS_FIELD_NUMBER: _ClassVar[int]
    FACIAL_OR_NECK_WEAKNESS_MYOPATHIC_FIELD_NUMBER: _ClassVar[int]
    MYOTONIA_FIELD_NUMBER: _ClassVar[int]
    COGNITIVE_CHANGE_FIELD_NUMBER: _ClassVar[int]
    ATAXIA_FIELD_NUMBER: _ClassVar[int]
    SADDLE_SENSORY_LOSS_FIELD_NUMBER: _ClassVar[int]
    REDUCED_ANAL_TONE_FIELD_NUMBER: _ClassVar[int]
    DIASTOLIC_BP_MMHG_FIELD_NUMBER: _ClassVar[int]
    REDUCED_CONSCIOUSNESS_FIELD_NUMBER: _ClassVar[int]
    RESPIRATORY_WEAKNESS_FIELD_NUMBER: _ClassVar[int]
    UPPER_LIMB_REFLEXES_FIELD_NUMBER: _ClassVar[int]
    FACIAL_WEAKNESS_FOREHEAD_INVOLVED_FIELD_NUMBER: _ClassVar[int]
    upper_limb_weakness: bool
    facial_weakness: bool
    dysarthria: bool
    upper_limb_fasciculations: bool
    tongue_fasciculations: bool
    sensory_level: bool
    proximal_weakness: bool
    facial_or_neck_weakness_myopathic: bool
    myotonia: bool
    cognitive_change: bool
    ataxia: bool
    saddle_sensory_loss: bool
    reduced_anal_tone: bool
    diastolic_bp_mmhg: float
    reduced_consciousness: bool
    respiratory_weakness: bool
    upper_limb_reflexes: Reflex
    facial_weakness_forehead_involved: bool
    def __init__(self, upper_limb_weakness: _Optional[bool] = ..., facial_weakness: _Optional[bool] = ..., dysarthria: _Optional[bool] = ..., upper_limb_fasciculations: _Optional[bool] = ..., tongue_fasciculations: _Optional[bool] = ..., sensory_level: _Optional[bool] = ..., proximal_weakness: _Optional[bool] = ..., facial_or_neck_weakness_myopathic: _Optional[bool] = ..., myotonia: _Optional[bool] = ..., cognitive_change: _Optional[bool] = ..., ataxia: _Optional[bool] = ..., saddle_sensory_loss: _Optional[bool] = ..., reduced_anal_tone: _Optional[bool] = ..., diastolic_bp_mmhg: _Optional[float] = ..., reduced_consciousness: _Optional[bool] = ..., respiratory_weakness: _Optional[bool] = ..., upper_limb_reflexes: _Optional[_Union[Reflex, str]] = ..., facial_weakness_forehead_involved: _Optional[bool] = ...) -> None: ...

class Exam(_message.Message):
    __slots__ = ("left", "right", "general")
    LEFT_FIELD_NUMBER: _ClassVar[int]
    RIGHT_FIELD_NUMBER: _ClassVar[int]
    GENERAL_FIELD_NUMBER: _ClassVar[int]
    left: LimbExam
    right: LimbExam
    general: GeneralExam
    def __init__(self, left: _Optional[_Union[LimbExam, _Mapping]] = ..., right: _Optional[_Union[LimbExam, _Mapping]] = ..., general: _Optional[_Union[GeneralExam, _Mapping]] = ...) -> None: ...

class Results(_message.Message):
    __slots__ = ("emg_ncs", "mri_lumbar", "mri_brain", "mri_spinal_cord", "hba1c_percent", "ck_u_per_l", "compartment_pressure_mmhg", "knee_imaging", "ct_brain", "ct_abdomen_pelvis", "blood_glucose_mmol_l", "b12_low", "inflammatory_markers_raised", "csf_protein_raised", "thyroid_function_abnormal")
    EMG_NCS_FIELD_NUMBER: _ClassVar[int]
    MRI_LUMBAR_FIELD_NUMBER: _ClassVar[int]
    MRI_BRAIN_FIELD_NUMBER: _ClassVar[int]
    MRI_SPINAL_CORD_FIELD_NUMBER: _ClassVar[int]
    HBA1C_PERCENT_FIELD_NUMBER: _ClassVar[int]
    CK_U_PER_L_FIELD_NUMBER: _ClassVar[int]
    COMPARTMENT_PRESSURE_MMHG_FIELD_NUMBER: _ClassVar[int]
    KNEE_IMAGING_FIELD_NUMBER: _ClassVar[int]
    CT_BRAIN_FIELD_NUMBER: _ClassVar[int]
    CT_ABDOMEN_PELVIS_FIELD_NUMBER: _ClassVar[int]
    BLOOD_GLUCOSE_MMOL_L_FIELD_NUMBER: _ClassVar[int]
    B12_LOW_FIELD_NUMBER: _ClassVar[int]
    INFLAMMATORY_MARKERS_RAISED_FIELD_NUMBER: _ClassVar[int]
    CSF_PROTEIN_RAISED_FIELD_NUMBER: _ClassVar[int]
    THYROID_FUNCTION_ABNORMAL_FIELD_NUMBER: _ClassVar[int]
    emg_ncs: EmgPattern
    mri_lumbar: LumbarMri
    mri_brain: BrainMri
    mri_spinal_cord: CordMri
    hba1c_percent: float
    ck_u_per_l: float
    compartment_pressure_mmhg: float
    knee_imaging: KneeImaging
    ct_brain: BrainCt
    ct_abdomen_pelvis: PelvicCt
    blood_glucose_mmol_l: float
    b12_low: bool
    inflammatory_markers_raised: bool
    csf_protein_raised: bool
    thyroid_function_abnormal: bool
    def __init__(self, emg_ncs: _Optional[_Union[EmgPattern, str]] = ..., mri_lumbar: _Optional[_Union[LumbarMri, str]] = ..., mri_brain: _Optional[_Union[BrainMri, str]] = ..., mri_spinal_cord: _Optional[_Union[CordMri, str]] = ..., hba1c_percent: _Optional[float] = ..., ck_u_per_l: _Optional[float] = ..., compartment_pressure_mmhg: _Optional[float] = ..., knee_imaging: _Optional[_Union[KneeImaging, str]] = ..., ct_brain: _Optional[_Union[BrainCt, str]] = ..., ct_abdomen_pelvis: _Optional[_Union[PelvicCt, str]] = ..., blood_glucose_mmol_l: _Optional[float] = ..., b12_low: _Optional[bool] = ..., inflammatory_markers_raised: _Optional[bool] = ..., csf_protein_raised: _Optional[bool] = ..., thyroid_function_abnormal: _Optional[bool] = ...) -> None: ...

class Case(_message.Message):
    __slots__ = ("case_id", "patient", "presentation", "history", "medications", "exam", "results")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PATIENT_FIELD_NUMBER: _ClassVar[int]
    PRESENTATION_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    MEDICATIONS_FIELD_NUMBER: _ClassVar[int]
    EXAM_FIELD_NUMBER: _ClassVar[int]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    patient: Patient
    presentation: Presentation
    history: History
    medications: _containers.RepeatedCompositeFieldContainer[Medication]
    exam: Exam
    results: Results
    def __init__(self, case_id: _Optional[str] = ..., patient: _Optional[_Union[Patient, _Mapping]] = ..., presentation: _Optional[_Union[Presentation, _Mapping]] = ..., history: _Optional[_Union[History, _Mapping]] = ..., medications: _Optional[_Iterable[_Union[Medication, _Mapping]]] = ..., exam: _Optional[_Union[Exam, _Mapping]] = ..., results: _Optional[_Union[Results, _Mapping]] = ...) -> None: ...
