from cdss._proto import case_pb2 as _case_pb2
from cdss._proto import decision_pb2 as _decision_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Detail(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DETAIL_UNSPECIFIED: _ClassVar[Detail]
    DETAIL_SUMMARY: _ClassVar[Detail]
    DETAIL_STANDARD: _ClassVar[Detail]
    DETAIL_FULL: _ClassVar[Detail]
DETAIL_UNSPECIFIED: Detail
DETAIL_SUMMARY: Detail
DETAIL_STANDARD: Detail
DETAIL_FULL: Detail

class EvaluateRequest(_message.Message):
    __slots__ = ("case", "detail")
    CASE_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    case: _case_pb2.Case
    detail: Detail
    def __init__(self, case: _Optional[_Union[_case_pb2.Case, _Mapping]] = ..., detail: _Optional[_Union[Detail, str]] = ...) -> None: ...

class EvaluateResponse(_message.Message):
    __slots__ = ("case_id", "alerts", "causes", "tests", "treatments", "requests", "not_assessed", "conflicts", "trace", "ruleset_version", "intended_use", "why_not", "withheld", "under_documented")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    ALERTS_FIELD_NUMBER: _ClassVar[int]
    CAUSES_FIELD_NUMBER: _ClassVar[int]
    TESTS_FIELD_NUMBER: _ClassVar[int]
    TREATMENTS_FIELD_NUMBER: _ClassVar[int]
    REQUESTS_FIELD_NUMBER: _ClassVar[int]
    NOT_ASSESSED_FIELD_NUMBER: _ClassVar[int]
    CONFLICTS_FIELD_NUMBER: _ClassVar[int]
    TRACE_FIELD_NUMBER: _ClassVar[int]
    RULESET_VERSION_FIELD_NUMBER: _ClassVar[int]
    INTENDED_USE_FIELD_NUMBER: _ClassVar[int]
    WHY_NOT_FIELD_NUMBER: _ClassVar[int]
    WITHHELD_FIELD_NUMBER: _ClassVar[int]
    UNDER_DOCUMENTED_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    alerts: _containers.RepeatedCompositeFieldContainer[_decision_pb2.Alert]
    causes: _containers.RepeatedCompositeFieldContainer[_decision_pb2.RankedCause]
    tests: _containers.RepeatedCompositeFieldContainer[_decision_pb2.SuggestedTest]
    treatments: _containers.RepeatedCompositeFieldContainer[_decision_pb2.SuggestedTreatment]
    requests: _containers.RepeatedCompositeFieldContainer[_decision_pb2.InformationRequest]
    not_assessed: _containers.RepeatedScalarFieldContainer[str]
    conflicts: _containers.RepeatedScalarFieldContainer[str]
    trace: _containers.RepeatedCompositeFieldContainer[_decision_pb2.TraceEntry]
    ruleset_version: _decision_pb2.RulesetVersion
    intended_use: str
    why_not: _containers.RepeatedCompositeFieldContainer[WhyNot]
    withheld: _containers.RepeatedCompositeFieldContainer[Withheld]
    under_documented: bool
    def __init__(self, case_id: _Optional[str] = ..., alerts: _Optional[_Iterable[_Union[_decision_pb2.Alert, _Mapping]]] = ..., causes: _Optional[_Iterable[_Union[_decision_pb2.RankedCause, _Mapping]]] = ..., tests: _Optional[_Iterable[_Union[_decision_pb2.SuggestedTest, _Mapping]]] = ..., treatments: _Optional[_Iterable[_Union[_decision_pb2.SuggestedTreatment, _Mapping]]] = ..., requests: _Optional[_Iterable[_Union[_decision_pb2.InformationRequest, _Mapping]]] = ..., not_assessed: _Optional[_Iterable[str]] = ..., conflicts: _Optional[_Iterable[str]] = ..., trace: _Optional[_Iterable[_Union[_decision_pb2.TraceEntry, _Mapping]]] = ..., ruleset_version: _Optional[_Union[_decision_pb2.RulesetVersion, _Mapping]] = ..., intended_use: _Optional[str] = ..., why_not: _Optional[_Iterable[_Union[WhyNot, _Mapping]]] = ..., withheld: _Optional[_Iterable[_Union[Withheld, _Mapping]]] = ..., under_documented: _Optional[bool] = ...) -> None: ...

class Withheld(_message.Message):
    __slots__ = ("item", "reason", "rule_ids")
    ITEM_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RULE_IDS_FIELD_NUMBER: _ClassVar[int]
    item: str
    reason: str
    rule_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, item: _Optional[str] = ..., reason: _Optional[str] = ..., rule_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class WhyNot(_message.Message):
    __slots__ = ("category", "certainty", "explanation", "against")
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    CERTAINTY_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    AGAINST_FIELD_NUMBER: _ClassVar[int]
    category: _decision_pb2.CauseCategory
    certainty: float
    explanation: str
    against: _containers.RepeatedCompositeFieldContainer[_decision_pb2.RuleRef]
    def __init__(self, category: _Optional[_Union[_decision_pb2.CauseCategory, str]] = ..., certainty: _Optional[float] = ..., explanation: _Optional[str] = ..., against: _Optional[_Iterable[_Union[_decision_pb2.RuleRef, _Mapping]]] = ...) -> None: ...

class GetRuleBaseRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RuleSummary(_message.Message):
    __slots__ = ("id", "title", "version", "source", "status", "stratum", "conclusions", "rationale", "file")
    ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STRATUM_FIELD_NUMBER: _ClassVar[int]
    CONCLUSIONS_FIELD_NUMBER: _ClassVar[int]
    RATIONALE_FIELD_NUMBER: _ClassVar[int]
    FILE_FIELD_NUMBER: _ClassVar[int]
    id: str
    title: str
    version: int
    source: str
    status: str
    stratum: int
    conclusions: _containers.RepeatedScalarFieldContainer[str]
    rationale: str
    file: str
    def __init__(self, id: _Optional[str] = ..., title: _Optional[str] = ..., version: _Optional[int] = ..., source: _Optional[str] = ..., status: _Optional[str] = ..., stratum: _Optional[int] = ..., conclusions: _Optional[_Iterable[str]] = ..., rationale: _Optional[str] = ..., file: _Optional[str] = ...) -> None: ...

class GetRuleBaseResponse(_message.Message):
    __slots__ = ("ruleset_version", "rules", "intended_use")
    RULESET_VERSION_FIELD_NUMBER: _ClassVar[int]
    RULES_FIELD_NUMBER: _ClassVar[int]
    INTENDED_USE_FIELD_NUMBER: _ClassVar[int]
    ruleset_version: _decision_pb2.RulesetVersion
    rules: _containers.RepeatedCompositeFieldContainer[RuleSummary]
    intended_use: str
    def __init__(self, ruleset_version: _Optional[_Union[_decision_pb2.RulesetVersion, _Mapping]] = ..., rules: _Optional[_Iterable[_Union[RuleSummary, _Mapping]]] = ..., intended_use: _Optional[str] = ...) -> None: ...

class PingRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class PingResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
