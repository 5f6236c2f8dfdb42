"""The one place where cdss errors become HTTP statuses (the HTTP twin of cdss/grpc_errors.py).

| error              | HTTP | body `error.status` (the gRPC name, same field violations) |
|--------------------|------|------------------------------------------------------------|
| CaseError          | 400  | INVALID_ARGUMENT with google.rpc.BadRequest fieldViolations |
| Unauthenticated    | 401  | UNAUTHENTICATED (with WWW-Authenticate: Bearer)             |
| PermissionDenied   | 403  | PERMISSION_DENIED                                           |
| PreconditionFailed | 412  | FAILED_PRECONDITION (CDS Hooks: required prefetch missing)  |
| RuleBaseError      | 503  | FAILED_PRECONDITION                                         |
| DeadlineExceeded   | 504  | DEADLINE_EXCEEDED                                           |
| Unavailable        | 503  | UNAVAILABLE (retry-safe)                                    |
| anything else      | 500  | INTERNAL (no case data)                                     |
"""

from __future__ import annotations

from typing import Any

from cdss.errors import (
    Cancelled,
    CaseError,
    CdssError,
    DeadlineExceeded,
    EngineFailure,
    PermissionDenied,
    PreconditionFailed,
    RuleBaseError,
    TooLarge,
    Unauthenticated,
    Unavailable,
)

_TABLE: tuple[tuple[type[BaseException], int, str], ...] = (
    (CaseError, 400, "INVALID_ARGUMENT"),
    (Unauthenticated, 401, "UNAUTHENTICATED"),
    (PermissionDenied, 403, "PERMISSION_DENIED"),
    (Cancelled, 408, "CANCELLED"),
    (PreconditionFailed, 412, "FAILED_PRECONDITION"),
    (TooLarge, 413, "RESOURCE_EXHAUSTED"),
    (RuleBaseError, 503, "FAILED_PRECONDITION"),
    (DeadlineExceeded, 504, "DEADLINE_EXCEEDED"),
    (Unavailable, 503, "UNAVAILABLE"),
)
BAD_REQUEST = "type.googleapis.com/google.rpc.BadRequest"


def http_status(error: BaseException) -> tuple[int, str]:
    for cls, code, name in _TABLE:
        if isinstance(error, cls):
            return code, name
    return 500, "INTERNAL"


def error_body(error: BaseException) -> dict[str, Any]:
    """The JSON error body (Google's JSON error shape: code, status, message, details)."""
    code, name = http_status(error)
    if isinstance(error, CaseError):
        message = f"invalid case: {len(error.violations)} field(s) - " + "; ".join(
            str(v) for v in error.violations[:5]
        )
        details = [
            {
                "@type": BAD_REQUEST,
                "fieldViolations": [
                    {"field": v.field, "description": v.description} for v in error.violations
                ],
            }
        ]
        return {"error": {"code": code, "status": name, "message": message, "details": details}}
    if isinstance(error, CdssError) and not isinstance(error, EngineFailure):
        message = str(error)
    else:
        message = (
            "evaluation failed; retry" if isinstance(error, EngineFailure) else "internal error"
        )
    return {"error": {"code": code, "status": name, "message": message}}
