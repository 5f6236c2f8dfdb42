"""Admission: what a call must pass before it may hold one of the server's threads.

grpc's synchronous server gives every call a pool thread as soon as its headers arrive, and a
unary handler's thread then waits for the request body for as long as the client takes: a
client that sends headers and never the body holds that thread forever (four such calls
stopped a four-thread worker). The `Gate` interceptor runs on grpc's polling thread, before
any pool thread is taken, and:

- refuses a call without a valid token (UNAUTHENTICATED) or without the grant for its method
  (PERMISSION_DENIED) with a handler that never waits for the request body, and reports the
  refusal (the servicer audits it, without the token);
- turns every handler that takes one request into one that waits for it at most
  `receive_timeout` seconds: a stalled call is cancelled (`ReceiveDeadlines`, one thread for
  all calls) and reported as refused;
- caps the long-lived streams (reflection, health Watch) at `LONG_LIVED_SLOTS` per process, so
  they cannot take the pool either (RESOURCE_EXHAUSTED beyond it).

The pool itself is `--max-calls` threads (and grpc refuses calls beyond it at once with
RESOURCE_EXHAUSTED), of which at most `--threads` evaluate at a time (cdss/servicer.py).
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import grpc

from cdss.auth import ADMIN_METHODS, OPEN_PREFIXES, Authenticator

log = logging.getLogger("cdss.admission")
LONG_LIVED = ("/grpc.reflection.", "/grpc.health.v1.Health/Watch")
LONG_LIVED_SLOTS = 8
# method, caller, status name, reason: called once for every call refused before its handler ran
RefusalHook = Callable[[str, str, str, str], None]


class ReceiveDeadlines:
    """Cancels a call whose request has not fully arrived `timeout` seconds after it started.

    One daemon thread checks every registered call ten times a second (a Timer per call would
    cost a thread start per call)."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._waiting: dict[int, tuple[float, grpc.ServicerContext]] = {}
        self._keys = itertools.count()
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cdss-receive", daemon=True)
        self._thread.start()

    def receive(self, requests: Iterator[Any], context: grpc.ServicerContext) -> tuple[bool, Any]:
        """(True, request), or (False, None) when it did not arrive in time or at all."""
        key = next(self._keys)
        with self._lock:
            self._waiting[key] = (time.monotonic() + self.timeout, context)
        try:
            return True, next(requests)
        except (grpc.RpcError, StopIteration):
            return False, None
        finally:
            with self._lock:
                self._waiting.pop(key, None)

    def _run(self) -> None:
        while not self._closed.wait(min(0.1, self.timeout / 4)):
            now = time.monotonic()
            with self._lock:
                late = [ctx for deadline, ctx in self._waiting.values() if deadline <= now]
            for ctx in late:
                ctx.cancel()  # type: ignore[no-untyped-call]

    def close(self) -> None:
        self._closed.set()
        self._thread.join(timeout=2)


def _refusal(code: grpc.StatusCode, message: str) -> grpc.RpcMethodHandler[Any, Any]:
    """A handler that ends the call at once, whatever its kind, without reading the request."""

    def refuse(requests: Iterator[Any], context: grpc.ServicerContext) -> None:
        context.abort(code, message)

    return grpc.stream_unary_rpc_method_handler(refuse)


def _bounded(
    handler: grpc.RpcMethodHandler[Any, Any],
    deadlines: ReceiveDeadlines,
    on_stalled: Callable[[grpc.ServicerContext], None],
) -> grpc.RpcMethodHandler[Any, Any]:
    """The same handler, taking its single request as a stream read with a deadline."""

    def first(requests: Iterator[Any], context: grpc.ServicerContext) -> Any:
        arrived, request = deadlines.receive(requests, context)
        if not arrived:
            on_stalled(context)
            context.abort(grpc.StatusCode.CANCELLED, "the request did not arrive in time")
        return request

    if handler.response_streaming:
        behaviour_stream = handler.unary_stream
        assert behaviour_stream is not None

        def streaming(requests: Iterator[Any], context: grpc.ServicerContext) -> Iterator[Any]:
            yield from behaviour_stream(first(requests, context), context)

        return grpc.stream_stream_rpc_method_handler(
            streaming, handler.request_deserializer, handler.response_serializer
        )
    behaviour = handler.unary_unary
    assert behaviour is not None

    def unary(requests: Iterator[Any], context: grpc.ServicerContext) -> Any:
        return behaviour(first(requests, context), context)

    return grpc.stream_unary_rpc_method_handler(
        unary, handler.request_deserializer, handler.response_serializer
    )


if TYPE_CHECKING:
    _Interceptor = grpc.ServerInterceptor[Any, Any]
else:  # grpc's runtime class is not generic; its stubs are
    _Interceptor = grpc.ServerInterceptor


class Gate(_Interceptor):
    def __init__(
        self,
        authenticator: Authenticator | None,
        receive_timeout: float,
        on_refused: RefusalHook | None = None,
    ) -> None:
        self.authenticator = authenticator
        self.deadlines = ReceiveDeadlines(receive_timeout)
        self.on_refused = on_refused
        self._long_lived = threading.BoundedSemaphore(LONG_LIVED_SLOTS)
        # per method and caller, the handler grpc gave and the one made from it: the same
        # every call (methods and token names are a fixed set), so made once
        self._admitted: dict[tuple[str, str], tuple[Any, grpc.RpcMethodHandler[Any, Any]]] = {}

    def close(self) -> None:
        self.deadlines.close()

    def _refuse(
        self, method: str, caller: str, code: grpc.StatusCode, message: str
    ) -> grpc.RpcMethodHandler[Any, Any]:
        log.info("refused %s caller=%s status=%s", method, caller, code.name)
        if self.on_refused is not None:
            self.on_refused(method, caller, code.name, message)
        return _refusal(code, message)

    def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], grpc.RpcMethodHandler[Any, Any] | None],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler[Any, Any] | None:
        method: str = handler_call_details.method
        caller = "anonymous"
        if self.authenticator is None and method.rsplit("/", 1)[-1] in ADMIN_METHODS:
            return self._refuse(
                method, caller, grpc.StatusCode.PERMISSION_DENIED, "admin calls need a token"
            )
        if self.authenticator is not None and not method.startswith(OPEN_PREFIXES):
            code, message, principal = self.authenticator.admit(
                method, handler_call_details.invocation_metadata
            )
            if principal is not None:
                caller = principal.name
            if code is not None:
                return self._refuse(method, caller, code, message)
        handler = continuation(handler_call_details)
        if handler is None:
            return None
        made = self._admitted.get((method, caller))
        if made is not None and made[0] is handler:
            return made[1]
        admitted = self._admit(method, caller, handler)
        self._admitted[method, caller] = (handler, admitted)
        return admitted

    def _admit(
        self, method: str, caller: str, handler: grpc.RpcMethodHandler[Any, Any]
    ) -> grpc.RpcMethodHandler[Any, Any]:
        if method.startswith(LONG_LIVED):
            return self._long_lived_slot(method, caller, handler)
        if handler.request_streaming:
            return handler

        def stalled(context: grpc.ServicerContext) -> None:
            if self.on_refused is not None:
                self.on_refused(method, caller, "CANCELLED", "the request did not arrive in time")
            log.info("cancelled %s caller=%s: request not received in time", method, caller)

        return _bounded(handler, self.deadlines, stalled)

    def _long_lived_slot(
        self, method: str, caller: str, handler: grpc.RpcMethodHandler[Any, Any]
    ) -> grpc.RpcMethodHandler[Any, Any]:
        """A stream that holds its thread while open: at most LONG_LIVED_SLOTS at once. The
        slot is taken when the handler starts (a call refused by grpc never takes one)."""
        bounded = (
            handler if handler.request_streaming else _bounded(handler, self.deadlines, _quiet)
        )
        inner = bounded.stream_stream
        assert inner is not None
        slots = self._long_lived

        def stream(requests: Iterator[Any], context: grpc.ServicerContext) -> Iterator[Any]:
            if not slots.acquire(blocking=False):
                log.info("refused %s caller=%s: too many open streams", method, caller)
                context.abort(grpc.StatusCode.RESOURCE_EXHAUSTED, "too many open streams")
            try:
                yield from inner(requests, context)
            finally:
                slots.release()

        return grpc.stream_stream_rpc_method_handler(
            stream, handler.request_deserializer, handler.response_serializer
        )


def _quiet(context: grpc.ServicerContext) -> None:
    """A stalled long-lived stream (health Watch) is cancelled without an audit record."""
