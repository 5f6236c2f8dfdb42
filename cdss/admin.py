"""The admin service, `cdss.admin.v1.Admin`: `ReloadRules` asks the supervisor to reload.

It is registered on every server but refused unless a tokens file grants `ReloadRules` by
name (a `*` grant does not include it; without a tokens file nobody may call it). Its request
is `google.protobuf.Empty`; its reply a `google.protobuf.Struct`: `requested` (true once the
supervisor was signalled) and the `serving` rule base's content hash. The reload itself runs
in the supervisor as for SIGHUP (validate, start new workers, switch, or refuse and log):
watch `GetRuleBase` or the log for the outcome.
"""

from __future__ import annotations

import logging
import os
import signal
from typing import Any

import grpc
from google.protobuf import empty_pb2, struct_pb2

from cdss.evaluator import Evaluator

SERVICE = "cdss.admin.v1.Admin"
RELOAD_RULES = f"/{SERVICE}/ReloadRules"
log = logging.getLogger("cdss.admin")


def supervisor_pid() -> int | None:
    value = os.environ.get("CDSS_SUPERVISOR_PID", "")
    return int(value) if value.isdigit() and int(value) == os.getppid() else None


def register(server: grpc.Server, evaluator: Evaluator) -> None:
    def reload_rules(request: empty_pb2.Empty, context: grpc.ServicerContext) -> Any:
        pid = supervisor_pid()
        if pid is None:
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, "not running under a supervisor")
        assert pid is not None
        log.info("ReloadRules: asking the supervisor %d to reload the rule base", pid)
        os.kill(pid, signal.SIGHUP)
        reply = struct_pb2.Struct()
        reply.update({"requested": True, "serving": evaluator.compiled.rulebase.content_hash})
        return reply

    handler = grpc.unary_unary_rpc_method_handler(
        reload_rules,
        request_deserializer=empty_pb2.Empty.FromString,
        response_serializer=struct_pb2.Struct.SerializeToString,
    )
    server.add_generic_rpc_handlers(
        (grpc.method_handlers_generic_handler(SERVICE, {"ReloadRules": handler}),)
    )
