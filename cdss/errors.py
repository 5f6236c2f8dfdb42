"""The one error hierarchy of cdss. cdss/grpc_errors.py maps it to gRPC status codes."""

from __future__ import annotations

from dataclasses import dataclass


class CdssError(Exception):
    """Base of every error cdss raises on purpose."""


@dataclass(frozen=True, slots=True)
class RuleProblem:
    """One problem in a rule file: where, what, and (when there is one) what was meant."""

    file: str
    line: int
    rule_id: str
    problem: str
    suggestion: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        rule = f" {self.rule_id}" if self.rule_id else ""
        hint = f" (did you mean {self.suggestion!r}?)" if self.suggestion else ""
        return f"{where}{rule}: {self.problem}{hint}"


class RuleBaseError(CdssError):
    """The rule base cannot be loaded; lists every problem found, not only the first."""

    def __init__(self, problems: list[RuleProblem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the rule base:\n{lines}")


@dataclass(frozen=True, slots=True)
class FieldViolation:
    """One bad input field: its path in the case (e.g. ``exam.right.ankle_dorsiflexion``)."""

    field: str
    description: str

    def __str__(self) -> str:
        return f"{self.field}: {self.description}"


class CaseError(CdssError):
    """The case is impossible (not merely incomplete); lists every offending field."""

    def __init__(self, violations: list[FieldViolation]) -> None:
        self.violations = violations
        super().__init__("invalid case: " + "; ".join(str(v) for v in violations))


class EngineFailure(CdssError):
    """durable-rules failed while evaluating a valid case (an internal error, not the input's)."""


class ContractMismatch(EngineFailure):
    """The generated facts do not cover a field of the .proto (they are stale: `make proto`).
    Raised on the first case, loudly, instead of silently ignoring the field."""


class ConfigError(CdssError):
    """The server's configuration cannot be used (e.g. a TLS file missing)."""


class DeadlineExceeded(CdssError):
    """The caller's deadline passed before the answer was ready; the work was abandoned."""


class Cancelled(CdssError):
    """The caller cancelled the call (or went away) before the answer was ready."""


class Unavailable(CdssError):
    """A dependency of the answer (e.g. the audit store) is unavailable; retry later."""


class PreconditionFailed(CdssError):
    """Data the answer needs could not be had: a required CDS Hooks prefetch is missing and no
    FHIR server was given, or the FHIR server could not be read (HTTP 412)."""


class Unauthenticated(CdssError):
    """No valid bearer token (the HTTP front door; gRPC refuses in cdss/admission.py)."""


class PermissionDenied(CdssError):
    """A valid token not granted the method (the HTTP front door)."""


class TooLarge(CdssError):
    """A request body over the front door's limit (HTTP 413; gRPC refuses it itself)."""
