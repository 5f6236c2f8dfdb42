from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CauseCategory(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CAUSE_UNSPECIFIED: _ClassVar[CauseCategory]
    CAUSE_PERONEAL_NEUROPATHY: _ClassVar[CauseCategory]
    CAUSE_SCIATIC_NEUROPATHY: _ClassVar[CauseCategory]
    CAUSE_L5_RADICULOPATHY: _ClassVar[CauseCategory]
    CAUSE_LUMBOSACRAL_PLEXOPATHY: _ClassVar[CauseCategory]
    CAUSE_CAUDA_EQUINA_SYNDROME: _ClassVar[CauseCategory]
    CAUSE_POLYNEUROPATHY: _ClassVar[CauseCategory]
    CAUSE_MUSCLE_OR_TENDON_INJURY: _ClassVar[CauseCategory]
    CAUSE_HEREDITARY_NEUROPATHY: _ClassVar[CauseCategory]
    CAUSE_MUSCULAR_DYSTROPHY: _ClassVar[CauseCategory]
    CAUSE_COMPARTMENT_SYNDROME: _ClassVar[CauseCategory]
    CAUSE_MOTOR_NEURON_DISEASE: _ClassVar[CauseCategory]
    CAUSE_MULTIPLE_SCLEROSIS: _ClassVar[CauseCategory]
    CAUSE_STROKE: _ClassVar[CauseCategory]
    CAUSE_OTHER_BRAIN_LESION: _ClassVar[CauseCategory]
    CAUSE_SPINAL_CORD_LESION: _ClassVar[CauseCategory]
    CAUSE_DRUG_TOXICITY: _ClassVar[CauseCategory]

class CauseGroup(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CAUSE_GROUP_UNSPECIFIED: _ClassVar[CauseGroup]
    CAUSE_GROUP_NERVE_OR_MUSCLE_DAMAGE: _ClassVar[CauseGroup]
    CAUSE_GROUP_MUSCLE_OR_NERVE_DISORDER: _ClassVar[CauseGroup]
    CAUSE_GROUP_CENTRAL_NERVOUS_SYSTEM: _ClassVar[CauseGroup]
    CAUSE_GROUP_DRUG_REACTION: _ClassVar[CauseGroup]

class Likelihood(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LIKELIHOOD_UNSPECIFIED: _ClassVar[Likelihood]
    LIKELIHOOD_LIKELY: _ClassVar[Likelihood]
    LIKELIHOOD_POSSIBLE: _ClassVar[Likelihood]
    LIKELIHOOD_MUST_NOT_MISS: _ClassVar[Likelihood]
    LIKELIHOOD_UNLIKELY: _ClassVar[Likelihood]

class Urgency(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    URGENCY_UNSPECIFIED: _ClassVar[Urgency]
    URGENCY_EMERGENCY: _ClassVar[Urgency]
    URGENCY_URGENT: _ClassVar[Urgency]
    URGENCY_ROUTINE: _ClassVar[Urgency]

class AlertKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ALERT_KIND_UNSPECIFIED: _ClassVar[AlertKind]
    ALERT_KIND_CAUDA_EQUINA: _ClassVar[AlertKind]
    ALERT_KIND_ANTICOAGULANT_HAEMATOMA: _ClassVar[AlertKind]
    ALERT_KIND_COMPARTMENT_SYNDROME: _ClassVar[AlertKind]
    ALERT_KIND_ACUTE_STROKE: _ClassVar[AlertKind]
    ALERT_KIND_RAPIDLY_PROGRESSIVE_NEUROPATHY: _ClassVar[AlertKind]
    ALERT_KIND_ACUTE_CORD_COMPRESSION: _ClassVar[AlertKind]
    ALERT_KIND_SPINAL_HAEMATOMA: _ClassVar[AlertKind]
    ALERT_KIND_CENTRAL_LESION: _ClassVar[AlertKind]
    ALERT_KIND_URGENT_REVIEW: _ClassVar[AlertKind]
    ALERT_KIND_ROUTINE_REVIEW: _ClassVar[AlertKind]
    ALERT_KIND_INTRACRANIAL_HAEMORRHAGE: _ClassVar[AlertKind]
    ALERT_KIND_ACUTE_LIMB_ISCHAEMIA: _ClassVar[AlertKind]
    ALERT_KIND_SPINAL_INFECTION: _ClassVar[AlertKind]

class TestKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TEST_UNSPECIFIED: _ClassVar[TestKind]
    TEST_MRI_LUMBAR_SPINE: _ClassVar[TestKind]
    TEST_MRI_BRAIN: _ClassVar[TestKind]
    TEST_MRI_SPINAL_CORD: _ClassVar[TestKind]
    TEST_EMG_NCS: _ClassVar[TestKind]
    TEST_HBA1C: _ClassVar[TestKind]
    TEST_CK: _ClassVar[TestKind]
    TEST_COMPARTMENT_PRESSURE: _ClassVar[TestKind]
    TEST_KNEE_IMAGING: _ClassVar[TestKind]
    TEST_GENETIC: _ClassVar[TestKind]
    TEST_CT_ABDOMEN_PELVIS: _ClassVar[TestKind]
    TEST_BLADDER_SCAN: _ClassVar[TestKind]
    TEST_RESPIRATORY_FUNCTION: _ClassVar[TestKind]
    TEST_ANKLE_TENDON_IMAGING: _ClassVar[TestKind]
    TEST_CT_BRAIN: _ClassVar[TestKind]
    TEST_BLOOD_GLUCOSE: _ClassVar[TestKind]
    TEST_MRI_WHOLE_SPINE: _ClassVar[TestKind]
    TEST_VASCULAR_IMAGING: _ClassVar[TestKind]
    TEST_SCIATIC_NERVE_IMAGING: _ClassVar[TestKind]
    TEST_LUMBAR_PUNCTURE: _ClassVar[TestKind]
    TEST_B12: _ClassVar[TestKind]
    TEST_INFLAMMATORY_MARKERS: _ClassVar[TestKind]
    TEST_THYROID_FUNCTION: _ClassVar[TestKind]

class TreatmentKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TREATMENT_UNSPECIFIED: _ClassVar[TreatmentKind]
    TREATMENT_ANKLE_FOOT_ORTHOSIS: _ClassVar[TreatmentKind]
    TREATMENT_PHYSICAL_THERAPY: _ClassVar[TreatmentKind]
    TREATMENT_PERONEAL_NERVE_STIMULATION_EXTERNAL: _ClassVar[TreatmentKind]
    TREATMENT_PERONEAL_NERVE_STIMULATION_IMPLANTED: _ClassVar[TreatmentKind]
    TREATMENT_NERVE_SURGERY: _ClassVar[TreatmentKind]
    TREATMENT_SPINAL_SURGERY: _ClassVar[TreatmentKind]
    TREATMENT_TENDON_TRANSFER: _ClassVar[TreatmentKind]
    TREATMENT_FASCIOTOMY: _ClassVar[TreatmentKind]
    TREATMENT_REMOVE_COMPRESSION: _ClassVar[TreatmentKind]
    TREATMENT_REVIEW_DRUG: _ClassVar[TreatmentKind]
    TREATMENT_GLYCAEMIC_CONTROL: _ClassVar[TreatmentKind]
    TREATMENT_TENDON_REPAIR: _ClassVar[TreatmentKind]
    TREATMENT_BOTULINUM_TOXIN: _ClassVar[TreatmentKind]
    TREATMENT_VITAMIN_B12: _ClassVar[TreatmentKind]
    TREATMENT_IMMUNOTHERAPY_REFERRAL: _ClassVar[TreatmentKind]

class Leg(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LEG_UNSPECIFIED: _ClassVar[Leg]
    LEG_LEFT: _ClassVar[Leg]
    LEG_RIGHT: _ClassVar[Leg]
CAUSE_UNSPECIFIED: CauseCategory
CAUSE_PERONEAL_NEUROPATHY: CauseCategory
CAUSE_SCIATIC_NEUROPATHY: CauseCategory
CAUSE_L5_RADICULOPATHY: CauseCategory
CAUSE_LUMBOSACRAL_PLEXOPATHY: CauseCategory
CAUSE_CAUDA_EQUINA_SYNDROME: CauseCategory
CAUSE_POLYNEUROPATHY: CauseCategory
CAUSE_MUSCLE_OR_TENDON_INJURY: CauseCategory
CAUSE_HEREDITARY_NEUROPATHY: CauseCategory
CAUSE_MUSCULAR_DYSTROPHY: CauseCategory
CAUSE_COMPARTMENT_SYNDROME: CauseCategory
CAUSE_MOTOR_NEURON_DISEASE: CauseCategory
CAUSE_MULTIPLE_SCLEROSIS: CauseCategory
CAUSE_STROKE: CauseCategory
CAUSE_OTHER_BRAIN_LESION: CauseCategory
CAUSE_SPINAL_CORD_LESION: CauseCategory
CAUSE_DRUG_TOXICITY: CauseCategory
CAUSE_GROUP_UNSPECIFIED: CauseGroup
CAUSE_GROUP_NERVE_OR_MUSCLE_DAMAGE: CauseGroup
CAUSE_GROUP_MUSCLE_OR_NERVE_DISORDER: CauseGroup
CAUSE_GROUP_CENTRAL_NERVOUS_SYSTEM: CauseGroup
CAUSE_GROUP_DRUG_REACTION: CauseGroup
LIKELIHOOD_UNSPECIFIED: Likelihood
LIKELIHOOD_LIKELY: Likelihood
LIKELIHOOD_POSSIBLE: Likelihood
LIKELIHOOD_MUST_NOT_MISS: Likelihood
LIKELIHOOD_UNLIKELY: Likelihood
URGENCY_UNSPECIFIED: Urgency
URGENCY_EMERGENCY: Urgency
URGENCY_URGENT: Urgency
URGENCY_ROUTINE: Urgency
ALERT_KIND_UNSPECIFIED: AlertKind
ALERT_KIND_CAUDA_EQUINA: AlertKind
ALERT_KIND_ANTICOAGULANT_HAEMATOMA: AlertKind
ALERT_KIND_COMPARTMENT_SYNDROME: AlertKind
ALERT_KIND_ACUTE_STROKE: AlertKind
ALERT_KIND_RAPIDLY_PROGRESSIVE_NEUROPATHY: AlertKind
ALERT_KIND_ACUTE_CORD_COMPRESSION: AlertKind
ALERT_KIND_SPINAL_HAEMATOMA: AlertKind
ALERT_KIND_CENTRAL_LESION: AlertKind
ALERT_KIND_URGENT_REVIEW: AlertKind
ALERT_KIND_ROUTINE_REVIEW: AlertKind
ALERT_KIND_INTRACRANIAL_HAEMORRHAGE: AlertKind
ALERT_KIND_ACUTE_LIMB_ISCHAEMIA: AlertKind
ALERT_KIND_SPINAL_INFECTION: AlertKind
TEST_UNSPECIFIED: TestKind
TEST_MRI_LUMBAR_SPINE: TestKind
TEST_MRI_BRAIN: TestKind
TEST_MRI_SPINAL_CORD: TestKind
TEST_EMG_NCS: TestKind
TEST_HBA1C: TestKind
TEST_CK: TestKind
TEST_COMPARTMENT_PRESSURE: TestKind
TEST_KNEE_IMAGING: TestKind
TEST_GENETIC: TestKind
TEST_CT_ABDOMEN_PELVIS: TestKind
TEST_BLADDER_SCAN: TestKind
TEST_RESPIRATORY_FUNCTION: TestKind
TEST_ANKLE_TENDON_IMAGING: TestKind
TEST_CT_BRAIN: TestKind
TEST_BLOOD_GLUCOSE: TestKind
TEST_MRI_WHOLE_SPINE: TestKind
TEST_VASCULAR_IMAGING: TestKind
TEST_SCIATIC_NERVE_IMAGING: TestKind
TEST_LUMBAR_PUNCTURE: TestKind
TEST_B12: TestKind
TEST_INFLAMMATORY_MARKERS: TestKind
TEST_THYROID_FUNCTION: TestKind
TREATMENT_UNSPECIFIED: TreatmentKind
TREATMENT_ANKLE_FOOT_ORTHOSIS: TreatmentKind
TREATMENT_PHYSICAL_THERAPY: TreatmentKind
TREATMENT_PERONEAL_NERVE_STIMULATION_EXTERNAL: TreatmentKind
TREATMENT_PERONEAL_NERVE_STIMULATION_IMPLANTED: TreatmentKind
TREATMENT_NERVE_SURGERY: TreatmentKind
TREATMENT_SPINAL_SURGERY: TreatmentKind
TREATMENT_TENDON_TRANSFER: TreatmentKind
TREATMENT_FASCIOTOMY: TreatmentKind
TREATMENT_REMOVE_COMPRESSION: TreatmentKind
TREATMENT_REVIEW_DRUG: TreatmentKind
TREATMENT_GLYCAEMIC_CONTROL: TreatmentKind
TREATMENT_TENDON_REPAIR: TreatmentKind
TREATMENT_BOTULINUM_TOXIN: TreatmentKind
TREATMENT_VITAMIN_B12: TreatmentKind
TREATMENT_IMMUNOTHERAPY_REFERRAL: TreatmentKind
LEG_UNSPECIFIED: Leg
LEG_LEFT: Leg
LEG_RIGHT: Leg

class Fact(_message.Message):
    __slots__ = ("name", "value")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    name: str
    value: str
    def __init__(self, name: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...

class RuleRef(_message.Message):
    __slots__ = ("rule_id", "title", "leg", "facts", "weight")
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    LEG_FIELD_NUMBER: _ClassVar[int]
    FACTS_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    rule_id: str
    title: str
    leg: Leg
    facts: _containers.RepeatedCompositeFieldContainer[Fact]
    weight: float
    def __init__(self, rule_id: _Optional[str] = ..., title: _Optional[str] = ..., leg: _Optional[_Union[Leg, str]] = ..., facts: _Optional[_Iterable[_Union[Fact, _Mapping]]] = ..., weight: _Optional[float] = ...) -> None: ...

class RankedCause(_message.Message):
    __slots__ = ("category", "group", "certainty", "likelihood", "explanation", "rule_ids", "facts", "supporting", "against", "rank")
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    CERTAINTY_FIELD_NUMBER: _ClassVar[int]
    LIKELIHOOD_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    RULE_IDS_FIELD_NUMBER: _ClassVar[int]
    FACTS_FIELD_NUMBER: _ClassVar[int]
    SUPPORTING_FIELD_NUMBER: _ClassVar[int]
    AGAINST_FIELD_NUMBER: _ClassVar[int]
    RANK_FIELD_NUMBER: _ClassVar[int]
    category: CauseCategory
    group: CauseGroup
    certainty: float
    likelihood: Likelihood
    explanation: str
    rule_ids: _containers.RepeatedScalarFieldContainer[str]
    facts: _containers.RepeatedCompositeFieldContainer[Fact]
    supporting: _containers.RepeatedCompositeFieldContainer[RuleRef]
    against: _containers.RepeatedCompositeFieldContainer[RuleRef]
    rank: int
    def __init__(self, category: _Optional[_Union[CauseCategory, str]] = ..., group: _Optional[_Union[CauseGroup, str]] = ..., certainty: _Optional[float] = ..., likelihood: _Optional[_Union[Likelihood, str]] = ..., explanation: _Optional[str] = ..., rule_ids: _Optional[_Iterable[str]] = ..., facts: _Optional[_Iterable[_Union[Fact, _Mapping]]] = ..., supporting: _Optional[_Iterable[_Union[RuleRef, _Mapping]]] = ..., against: _Optional[_Iterable[_Union[RuleRef, _Mapping]]] = ..., rank: _Optional[int] = ...) -> None: ...

class Alert(_message.Message):
    __slots__ = ("kind", "urgency", "summary", "action", "rule_ids", "facts", "withdrawn_by")
    KIND_FIELD_NUMBER: _ClassVar[int]
    URGENCY_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    RULE_IDS_FIELD_NUMBER: _ClassVar[int]
    FACTS_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWN_BY_FIELD_NUMBER: _ClassVar[int]
    kind: AlertKind
    urgency: Urgency
    summary: str
    action: str
    rule_ids: _containers.RepeatedScalarFieldContainer[str]
    facts: _containers.RepeatedCompositeFieldContainer[Fact]
    withdrawn_by: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, kind: _Optional[_Union[AlertKind, str]] = ..., urgency: _Optional[_Union[Urgency, str]] = ..., summary: _Optional[str] = ..., action: _Optional[str] = ..., rule_ids: _Optional[_Iterable[str]] = ..., facts: _Optional[_Iterable[_Union[Fact, _Mapping]]] = ..., withdrawn_by: _Optional[_Iterable[str]] = ...) -> None: ...

class SuggestedTest(_message.Message):
    __slots__ = ("test", "urgency", "explanation", "rule_ids", "timing", "earliest_day_after_onset", "facts")
    TEST_FIELD_NUMBER: _ClassVar[int]
    URGENCY_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    RULE_IDS_FIELD_NUMBER: _ClassVar[int]
    TIMING_FIELD_NUMBER: _ClassVar[int]
    EARLIEST_DAY_AFTER_ONSET_FIELD_NUMBER: _ClassVar[int]
    FACTS_FIELD_NUMBER: _ClassVar[int]
    test: TestKind
    urgency: Urgency
    explanation: str
    rule_ids: _containers.RepeatedScalarFieldContainer[str]
    timing: str
    earliest_day_after_onset: int
    facts: _containers.RepeatedCompositeFieldContainer[Fact]
    def __init__(self, test: _Optional[_Union[TestKind, str]] = ..., urgency: _Optional[_Union[Urgency, str]] = ..., explanation: _Optional[str] = ..., rule_ids: _Optional[_Iterable[str]] = ..., timing: _Optional[str] = ..., earliest_day_after_onset: _Optional[int] = ..., facts: _Optional[_Iterable[_Union[Fact, _Mapping]]] = ...) -> None: ...

class SuggestedTreatment(_message.Message):
    __slots__ = ("treatment", "explanation", "rule_ids", "for_causes", "facts")
    TREATMENT_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    RULE_IDS_FIELD_NUMBER: _ClassVar[int]
    FOR_CAUSES_FIELD_NUMBER: _ClassVar[int]
    FACTS_FIELD_NUMBER: _ClassVar[int]
    treatment: TreatmentKind
    explanation: str
    rule_ids: _containers.RepeatedScalarFieldContainer[str]
    for_causes: _containers.RepeatedScalarFieldContainer[CauseCategory]
    facts: _containers.RepeatedCompositeFieldContainer[Fact]
    def __init__(self, treatment: _Optional[_Union[TreatmentKind, str]] = ..., explanation: _Optional[str] = ..., rule_ids: _Optional[_Iterable[str]] = ..., for_causes: _Optional[_Iterable[_Union[CauseCategory, str]]] = ..., facts: _Optional[_Iterable[_Union[Fact, _Mapping]]] = ...) -> None: ...

class InformationRequest(_message.Message):
    __slots__ = ("fields", "question", "reason", "separates", "urgency", "rule_ids", "expected_change")
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    QUESTION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SEPARATES_FIELD_NUMBER: _ClassVar[int]
    URGENCY_FIELD_NUMBER: _ClassVar[int]
    RULE_IDS_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_CHANGE_FIELD_NUMBER: _ClassVar[int]
    fields: _containers.RepeatedScalarFieldContainer[str]
    question: str
    reason: str
    separates: _containers.RepeatedScalarFieldContainer[CauseCategory]
    urgency: Urgency
    rule_ids: _containers.RepeatedScalarFieldContainer[str]
    expected_change: float
    def __init__(self, fields: _Optional[_Iterable[str]] = ..., question: _Optional[str] = ..., reason: _Optional[str] = ..., separates: _Optional[_Iterable[_Union[CauseCategory, str]]] = ..., urgency: _Optional[_Union[Urgency, str]] = ..., rule_ids: _Optional[_Iterable[str]] = ..., expected_change: _Optional[float] = ...) -> None: ...

class TraceEntry(_message.Message):
    __slots__ = ("rule_id", "rule_version", "title", "stratum", "leg", "facts", "conclusions")
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_VERSION_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    STRATUM_FIELD_NUMBER: _ClassVar[int]
    LEG_FIELD_NUMBER: _ClassVar[int]
    FACTS_FIELD_NUMBER: _ClassVar[int]
    CONCLUSIONS_FIELD_NUMBER: _ClassVar[int]
    rule_id: str
    rule_version: int
    title: str
    stratum: int
    leg: Leg
    facts: _containers.RepeatedCompositeFieldContainer[Fact]
    conclusions: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, rule_id: _Optional[str] = ..., rule_version: _Optional[int] = ..., title: _Optional[str] = ..., stratum: _Optional[int] = ..., leg: _Optional[_Union[Leg, str]] = ..., facts: _Optional[_Iterable[_Union[Fact, _Mapping]]] = ..., conclusions: _Optional[_Iterable[str]] = ...) -> None: ...

class RulesetVersion(_message.Message):
    __slots__ = ("version", "content_hash")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CONTENT_HASH_FIELD_NUMBER: _ClassVar[int]
    version: str
    content_hash: str
    def __init__(self, version: _Optional[str] = ..., content_hash: _Optional[str] = ...) -> None: ...
