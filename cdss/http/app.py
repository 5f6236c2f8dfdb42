"""The HTTP front door (Starlette): CDS Hooks 2.0 and the FHIR R4 endpoints beside gRPC.

| route                                  | does                                               |
|----------------------------------------|----------------------------------------------------|
| GET  /cds-services                     | discovery (open, like gRPC health and reflection)  |
| POST /cds-services/{id}                | a hook call -> cards (token: Evaluate)             |
| POST /cds-services/{id}/feedback       | outcomes recorded in the audit store (Feedback)    |
| GET  /fhir/Questionnaire/foot-drop     | the examination Questionnaire (open)               |
| GET|POST /fhir/$evaluate               | GuidanceResponse + RequestGroup (Evaluate)         |
| GET  /rules                            | the rule catalogue, markdown (open)                |
| GET  /  and /static/{name}             | the case-entry page (open; it calls the hook)      |

Protobuf stops here: the hook JSON becomes the EvaluateRequest the servicer would get, and
`cdss.answer` validates and evaluates it. Bodies are capped (413) and must arrive within the
receive timeout (408); errors are mapped in cdss/http/http_errors.py; logs carry the hook
instance, a hash of the case, the caller and timings, never the case; with an audit store,
every call is recorded before its answer leaves.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from cdss._proto import foot_drop_service_pb2
from cdss.answer import respond
from cdss.audit import AuditError, Entry, Store
from cdss.auth import ANONYMOUS, Authenticator
from cdss.config import MAX_CASE_BYTES, MAX_MESSAGE_BYTES
from cdss.decision import Decision
from cdss.errors import (
    Cancelled,
    CaseError,
    FieldViolation,
    PermissionDenied,
    TooLarge,
    Unauthenticated,
)
from cdss.evaluator import Evaluator
from cdss.http import guidance, hooks, page
from cdss.http.cards import CardMaker
from cdss.http.feedback import feedback_entries
from cdss.http.http_errors import error_body, http_status
from cdss.http.orders import order_cards
from cdss.http.questionnaire import build_questionnaire
from cdss.metrics import LATENCY, REQUESTS, child, observe_decision
from cdss.rulebase.catalogue import markdown

log = logging.getLogger("cdss.access")
_SAFE_ID = re.compile(r"[^A-Za-z0-9_.:-]")
FHIR_JSON = "application/fhir+json"


@dataclass
class FrontDoor:
    """What the HTTP front door shares with the gRPC server of its process."""

    evaluator: Evaluator
    audit: Store | None = None
    authenticator: Authenticator | None = None
    max_body_bytes: int = MAX_MESSAGE_BYTES
    max_case_bytes: int = MAX_CASE_BYTES
    threads: int = 4
    receive_timeout: float = 5.0
    fhir_timeout: float = 5.0
    cors_origins: tuple[str, ...] = ("*",)
    public_url: str = ""  # the base URL clients see; else the request's own
    _slots: asyncio.Semaphore | None = field(default=None, repr=False)

    @property
    def slots(self) -> asyncio.Semaphore:
        if self._slots is None:  # made on the server's event loop
            self._slots = asyncio.Semaphore(self.threads)
        return self._slots

    def caller(self, request: Request, method: str) -> str:
        if self.authenticator is None:
            return ANONYMOUS
        header = request.headers.get("authorization")
        principal = self.authenticator.identify([("authorization", header)] if header else [])
        if principal is None:
            raise Unauthenticated("a valid bearer token is required")
        if not principal.may_call(method):
            raise PermissionDenied(f"{principal.name} may not call {method}")
        return principal.name

    async def record(self, entry: Entry) -> None:
        if self.audit is not None:
            await run_in_threadpool(self.audit.record, entry)


async def read_json(front: FrontDoor, request: Request) -> Any:
    """The JSON body: at most max_body_bytes, arrived within receive_timeout."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > front.max_body_bytes:
        raise TooLarge(f"the body is {length} bytes; the limit is {front.max_body_bytes}")
    chunks: list[bytes] = []
    size = 0

    async def collect() -> None:
        nonlocal size
        async for chunk in request.stream():
            size += len(chunk)
            if size > front.max_body_bytes:
                raise TooLarge(f"the body is over the limit of {front.max_body_bytes} bytes")
            chunks.append(chunk)

    try:
        await asyncio.wait_for(collect(), front.receive_timeout)
    except TimeoutError as exc:
        raise Cancelled(f"the body did not arrive within {front.receive_timeout:g} s") from exc
    try:
        return json.loads(b"".join(chunks))
    except (ValueError, UnicodeDecodeError) as exc:
        raise CaseError([FieldViolation("request", f"is not valid JSON: {exc}")]) from exc


def _error(exc: BaseException) -> JSONResponse:
    status, _ = http_status(exc)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(error_body(exc), status_code=status, headers=headers)


Handler = Callable[[Request], Awaitable[Response]]


def guarded(method: str, front: FrontDoor, inner: Handler) -> Handler:
    """Errors as statuses (never a crash or a trace), refusals audited without the token."""

    async def handle(request: Request) -> Response:
        started = time.perf_counter()
        try:
            return await inner(request)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a status
            status, name = http_status(exc)
            ms = (time.perf_counter() - started) * 1000
            if status == 500:
                log.error(
                    "%s %s failed error=%s ms=%.2f", request.method, method, type(exc).__name__, ms
                )
            else:
                log.info("%s %s %s ms=%.2f", request.method, method, name, ms)
            if isinstance(exc, Unauthenticated | PermissionDenied):
                rb = front.evaluator.compiled.rulebase
                entry = Entry(rb, ANONYMOUS, "", "", name, b"", None, ms, f"HTTP {method}")
                with contextlib.suppress(AuditError):  # the refusal stands either way
                    await front.record(entry)
            return _error(exc)

    return handle


async def evaluate(
    front: FrontDoor, request: foot_drop_service_pb2.EvaluateRequest, caller: str, method: str
) -> foot_drop_service_pb2.EvaluateResponse:
    """The same answer as the gRPC Evaluate (validation included), audited the same way."""
    started = time.perf_counter()
    decision: Decision | None = None
    response = None
    error: BaseException | None = None
    try:
        async with front.slots:
            decision, response = await run_in_threadpool(
                respond, front.evaluator, request, front.max_case_bytes
            )
    except Exception as exc:  # noqa: BLE001 - recorded, then raised as a status
        error = exc
    ms = (time.perf_counter() - started) * 1000
    raw = request.case.SerializeToString(deterministic=True)
    digest = hashlib.sha256(raw).hexdigest()[:16]
    status = "OK" if error is None else http_status(error)[1]
    child(REQUESTS, f"HTTP {method}", status).inc()  # the same metrics as the gRPC door
    child(LATENCY, f"HTTP {method}").observe(ms / 1000)
    if decision is not None:
        observe_decision(decision)
    entry = Entry(
        front.evaluator.compiled.rulebase,
        caller,
        request.case.case_id,
        digest,
        status,
        request.SerializeToString(deterministic=True),
        response.SerializeToString(deterministic=True) if response else None,
        ms,
        f"HTTP {method}",
    )
    case_id = _SAFE_ID.sub("?", request.case.case_id[:64])
    try:
        await front.record(entry)  # no answer without its record (503)
    except AuditError as exc:
        cause = type(exc.__cause__).__name__ if exc.__cause__ else type(exc).__name__
        log.error(  # the database's message may quote the row: not logged, not sent
            "audit failed case_id=%s case_sha256=%s error=%s: answer withheld",
            case_id,
            digest,
            cause,
        )
        raise AuditError("the audit store cannot record this call; retry") from None
    log.info(
        "%s %s case_id=%s case_sha256=%s caller=%s ms=%.2f",
        method,
        status,
        case_id,
        digest,
        caller,
        ms,
    )
    if error is not None:
        raise error
    assert response is not None
    return response


def build_app(front: FrontDoor) -> Starlette:
    catalogue: list[str] = []

    async def discovery(request: Request) -> Response:
        return JSONResponse(hooks.discovery())

    async def call_service(request: Request) -> Response:
        service_id = request.path_params["service_id"]
        if service_id not in hooks.SERVICES:
            return JSONResponse(
                {
                    "error": {
                        "code": 404,
                        "status": "NOT_FOUND",
                        "message": f"no service {service_id!r}",
                    }
                },
                status_code=404,
            )
        caller = front.caller(request, "Evaluate")
        body = await read_json(front, request)
        call, prefetch, server, token = hooks.parse_call(service_id, body)
        data = await hooks.gather(call, prefetch, server, token, front.fhir_timeout)
        hooks.build_case(call, data, frozenset(front.evaluator.compiled.drug_names))
        resp = await evaluate(front, call.request, caller, f"POST /cds-services/{service_id}")
        base_url = front.public_url or str(request.base_url)
        maker = CardMaker(front.evaluator.compiled.rulebase, base_url, call.patient_id)
        if call.service.hook == "order-select":
            days = call.request.case.presentation.days_since_onset
            has_days = call.request.case.presentation.HasField("days_since_onset")
            cards = order_cards(maker, resp, call.context, days if has_days else None, call.unused)
            if call.unused:
                extra = maker.unused(call.unused)
                cards += [extra] if extra else []
        else:
            cards = maker.cards(resp, call.unused)
        return JSONResponse({"cards": cards})

    async def feedback(request: Request) -> Response:
        service_id = request.path_params["service_id"]
        if service_id not in hooks.SERVICES:
            return JSONResponse({"error": {"code": 404, "status": "NOT_FOUND"}}, status_code=404)
        caller = front.caller(request, "Feedback")
        body = await read_json(front, request)
        rb = front.evaluator.compiled.rulebase
        entries = feedback_entries(rb, caller, service_id, body)
        for entry in entries:
            await front.record(entry)
        log.info("feedback %s items=%d caller=%s", service_id, len(entries), caller)
        return JSONResponse({})

    async def questionnaire(request: Request) -> Response:
        return JSONResponse(build_questionnaire(), media_type=FHIR_JSON)

    async def rules(request: Request) -> Response:
        if not catalogue:
            catalogue.append(markdown(front.evaluator.compiled))
        return PlainTextResponse(catalogue[0], media_type="text/markdown; charset=utf-8")

    async def fhir_evaluate(request: Request) -> Response:
        caller = front.caller(request, "Evaluate")
        if request.method == "GET":
            return JSONResponse(guidance.operation_definition(), media_type=FHIR_JSON)
        body = await read_json(front, request)
        evaluation = guidance.parse(body, frozenset(front.evaluator.compiled.drug_names))
        resp = await evaluate(front, evaluation.request, caller, "POST /fhir/$evaluate")
        rb = front.evaluator.compiled.rulebase
        return JSONResponse(guidance.guidance_response(resp, evaluation, rb), media_type=FHIR_JSON)

    async def home(request: Request) -> Response:
        return page.index(front.authenticator is not None)

    async def static(request: Request) -> Response:
        return page.static(request.path_params["name"])

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "SERVING"})

    def route(path: str, method: str, fn: Handler, methods: list[str]) -> Route:
        return Route(path, guarded(method, front, fn), methods=methods)

    routes = [
        route("/cds-services", "discovery", discovery, ["GET"]),
        route("/cds-services/{service_id}", "hook", call_service, ["POST"]),
        route("/cds-services/{service_id}/feedback", "feedback", feedback, ["POST"]),
        route("/fhir/Questionnaire/foot-drop", "questionnaire", questionnaire, ["GET"]),
        route("/fhir/$evaluate", "$evaluate", fhir_evaluate, ["GET", "POST"]),
        route("/rules", "rules", rules, ["GET"]),
        route("/healthz", "health", health, ["GET"]),
        route("/", "page", home, ["GET"]),
        route("/static/{name}", "static", static, ["GET"]),
    ]
    middleware = [
        Middleware(
            CORSMiddleware,
            allow_origins=list(front.cors_origins),
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type"],
            max_age=600,
        )
    ]
    return Starlette(routes=routes, middleware=middleware)
