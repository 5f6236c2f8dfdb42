"""Optional bearer-token authentication (a server interceptor) and the caller's identity.

Tokens come from a file, one per line: `NAME TOKEN [METHODS]`, where METHODS is a
comma-separated list of method names (`Evaluate,GetRuleBase,Ping`) or `*` (the default: every
method but the admin ones, `ReloadRules`, which must be named). A call without a valid token
fails with UNAUTHENTICATED; a valid token used for a method it does not grant fails with
PERMISSION_DENIED (cdss/admission.py refuses both before the call holds a thread). The health
and reflection services stay open (load balancers and grpcurl need them). Tokens are compared
in constant time and never logged; the caller is known by NAME (logs, audit).
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc

from cdss.errors import ConfigError

OPEN_PREFIXES = ("/grpc.health.v1.Health/", "/grpc.reflection.")
ANONYMOUS = "anonymous"
ADMIN_METHODS = frozenset({"ReloadRules"})  # never granted by "*"


class TokenFileError(ConfigError):
    """The tokens file cannot be used (names the line)."""


@dataclass(frozen=True, slots=True)
class Principal:
    name: str
    token: str
    methods: frozenset[str]  # method names, or {"*"}

    def may_call(self, method: str) -> bool:
        name = method.rsplit("/", 1)[-1]
        return name in self.methods or ("*" in self.methods and name not in ADMIN_METHODS)


class Authenticator:
    def __init__(self, principals: Sequence[Principal]) -> None:
        self.principals = tuple(principals)

    @classmethod
    def from_file(cls, path: Path) -> Authenticator:
        principals = []
        for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            if len(parts) not in (2, 3) or len(parts[1]) < 16:
                raise TokenFileError(
                    f"{path}:{n}: expected NAME TOKEN [METHODS], token of 16+ characters"
                )
            methods = frozenset(parts[2].split(",")) if len(parts) == 3 else frozenset({"*"})
            principals.append(Principal(parts[0], parts[1], methods))
        if not principals:
            raise TokenFileError(f"{path}: no tokens")
        return cls(principals)

    def identify(self, metadata: Sequence[tuple[str, Any]] | None) -> Principal | None:
        """The principal whose token the call carries (None when absent or unknown)."""
        for key, value in metadata or ():
            if key != "authorization" or not isinstance(value, str):
                continue
            scheme, _, token = value.partition(" ")
            if scheme.lower() != "bearer":
                return None
            found = None
            for p in self.principals:  # check every token: constant time whatever matches
                if hmac.compare_digest(p.token.encode(), token.strip().encode()):
                    found = p
            return found
        return None

    def admit(
        self, method: str, metadata: Sequence[tuple[str, Any]] | None
    ) -> tuple[grpc.StatusCode | None, str, Principal | None]:
        """(None, "", principal) when the call may go on, else the refusal's code and text."""
        principal = self.identify(metadata)
        if principal is None:
            return grpc.StatusCode.UNAUTHENTICATED, "a valid bearer token is required", None
        if not principal.may_call(method):
            return (
                grpc.StatusCode.PERMISSION_DENIED,
                f"{principal.name} may not call {method}",
                principal,
            )
        return None, "", principal


def caller_name(authenticator: Authenticator | None, context: grpc.ServicerContext) -> str:
    if authenticator is None:
        return ANONYMOUS
    principal = authenticator.identify(context.invocation_metadata())
    return principal.name if principal else ANONYMOUS
