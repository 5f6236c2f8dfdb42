"""Optional bearer-token authentication (a server interceptor) and the caller's identity.

Tokens come from a file, one per line: `NAME TOKEN [METHODS]`, where METHODS is a
comma-separated list of method names (`Evaluate,GetRuleBase,Ping`) or `*` (the default).
A call without a valid token fails with UNAUTHENTICATED; a valid token used for a method it
does not grant fails with PERMISSION_DENIED. The health and reflection services stay open
(load balancers and grpcurl need them). Tokens are compared in constant time and never
logged; the caller is known by NAME (logs, audit).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import grpc

from cdss.errors import ConfigError

OPEN_PREFIXES = ("/grpc.health.v1.Health/", "/grpc.reflection.")
ANONYMOUS = "anonymous"


class TokenFileError(ConfigError):
    """The tokens file cannot be used (names the line)."""


@dataclass(frozen=True, slots=True)
class Principal:
    name: str
    token: str
    methods: frozenset[str]  # method names, or {"*"}

    def may_call(self, method: str) -> bool:
        return "*" in self.methods or method.rsplit("/", 1)[-1] in self.methods


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


def caller_name(authenticator: Authenticator | None, context: grpc.ServicerContext) -> str:
    if authenticator is None:
        return ANONYMOUS
    principal = authenticator.identify(context.invocation_metadata())
    return principal.name if principal else ANONYMOUS


def _deny(code: grpc.StatusCode, message: str) -> grpc.RpcMethodHandler[Any, None]:
    def abort(request: Any, context: grpc.ServicerContext) -> None:
        context.abort(code, message)

    return grpc.unary_unary_rpc_method_handler(abort)


if TYPE_CHECKING:
    _Interceptor = grpc.ServerInterceptor[Any, Any]
else:  # grpc's runtime class is not generic; its stubs are
    _Interceptor = grpc.ServerInterceptor


class AuthInterceptor(_Interceptor):
    def __init__(self, authenticator: Authenticator) -> None:
        self.authenticator = authenticator

    def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], grpc.RpcMethodHandler[Any, Any] | None],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler[Any, Any] | None:
        method: str = handler_call_details.method
        if method.startswith(OPEN_PREFIXES):
            return continuation(handler_call_details)
        principal = self.authenticator.identify(handler_call_details.invocation_metadata)
        if principal is None:
            return _deny(grpc.StatusCode.UNAUTHENTICATED, "a valid bearer token is required")
        if not principal.may_call(method):
            return _deny(
                grpc.StatusCode.PERMISSION_DENIED, f"{principal.name} may not call {method}"
            )
        return continuation(handler_call_details)
