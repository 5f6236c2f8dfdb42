"""The one place where cdss errors become gRPC status codes.

| error                | status              | detail                               |
|----------------------|---------------------|--------------------------------------|
| CaseError            | INVALID_ARGUMENT    | google.rpc.BadRequest field violations |
| RuleBaseError        | FAILED_PRECONDITION | (the rule base did not load)         |
| EngineFailure        | INTERNAL            | (retry-safe; no case data)           |
| DeadlineExceeded     | DEADLINE_EXCEEDED   | (the work was abandoned)             |
| Cancelled            | CANCELLED           | (the caller went away; abandoned)    |
| Unavailable          | UNAVAILABLE         | (e.g. audit store down; retry-safe)  |
| PreconditionFailed   | FAILED_PRECONDITION | (HTTP front door: data missing)      |
| Unauthenticated      | UNAUTHENTICATED     | (HTTP front door)                    |
| PermissionDenied     | PERMISSION_DENIED   | (HTTP front door)                    |
| anything else        | INTERNAL            | (logged without case data)           |
"""

from __future__ import annotations

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from cdss.errors import (
    Cancelled,
    CaseError,
    CdssError,
    DeadlineExceeded,
    EngineFailure,
    PermissionDenied,
    PreconditionFailed,
    RuleBaseError,
    Unauthenticated,
    Unavailable,
)

_CODES: tuple[tuple[type[BaseException], int, grpc.StatusCode], ...] = (
    (CaseError, code_pb2.INVALID_ARGUMENT, grpc.StatusCode.INVALID_ARGUMENT),
    (RuleBaseError, code_pb2.FAILED_PRECONDITION, grpc.StatusCode.FAILED_PRECONDITION),
    (EngineFailure, code_pb2.INTERNAL, grpc.StatusCode.INTERNAL),
    (DeadlineExceeded, code_pb2.DEADLINE_EXCEEDED, grpc.StatusCode.DEADLINE_EXCEEDED),
    (Cancelled, code_pb2.CANCELLED, grpc.StatusCode.CANCELLED),
    (Unavailable, code_pb2.UNAVAILABLE, grpc.StatusCode.UNAVAILABLE),
    (PreconditionFailed, code_pb2.FAILED_PRECONDITION, grpc.StatusCode.FAILED_PRECONDITION),
    (Unauthenticated, code_pb2.UNAUTHENTICATED, grpc.StatusCode.UNAUTHENTICATED),
    (PermissionDenied, code_pb2.PERMISSION_DENIED, grpc.StatusCode.PERMISSION_DENIED),
)


def status_code(error: BaseException) -> grpc.StatusCode:
    for cls, _, code in _CODES:
        if isinstance(error, cls):
            return code
    return grpc.StatusCode.INTERNAL


def to_status(error: BaseException) -> grpc.Status:
    """A rich status for error: field violations for a bad case, a bare message otherwise."""
    code = next((c for cls, c, _ in _CODES if isinstance(error, cls)), code_pb2.INTERNAL)
    if isinstance(error, CaseError):
        bad = error_details_pb2.BadRequest(
            field_violations=[
                error_details_pb2.BadRequest.FieldViolation(
                    field=v.field, description=v.description
                )
                for v in error.violations
            ]
        )
        detail = any_pb2.Any()
        detail.Pack(bad)
        message = f"invalid case: {len(error.violations)} field(s) - " + "; ".join(
            str(v) for v in error.violations[:5]
        )
        return rpc_status.to_status(status_pb2.Status(code=code, message=message, details=[detail]))
    if isinstance(error, CdssError):
        message = str(error) if not isinstance(error, EngineFailure) else "evaluation failed; retry"
    else:
        message = "internal error"
    return rpc_status.to_status(status_pb2.Status(code=code, message=message))


def abort(context: grpc.ServicerContext, error: BaseException) -> None:
    context.abort_with_status(to_status(error))
