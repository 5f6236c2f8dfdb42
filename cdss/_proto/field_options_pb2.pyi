from google.protobuf import descriptor_pb2 as _descriptor_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor
SPEC_FIELD_NUMBER: _ClassVar[int]
spec: _descriptor.FieldDescriptor
PROBE_FIELD_NUMBER: _ClassVar[int]
probe: _descriptor.FieldDescriptor

class FieldSpec(_message.Message):
    __slots__ = ("min", "max", "unit", "mrc_grade", "absent_is_unexamined")
    MIN_FIELD_NUMBER: _ClassVar[int]
    MAX_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    MRC_GRADE_FIELD_NUMBER: _ClassVar[int]
    ABSENT_IS_UNEXAMINED_FIELD_NUMBER: _ClassVar[int]
    min: float
    max: float
    unit: str
    mrc_grade: bool
    absent_is_unexamined: bool
    def __init__(self, min: _Optional[float] = ..., max: _Optional[float] = ..., unit: _Optional[str] = ..., mrc_grade: _Optional[bool] = ..., absent_is_unexamined: _Optional[bool] = ...) -> None: ...
