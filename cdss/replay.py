"""Audit replay: evaluate a recorded case again with the rule base that answered it."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from google.protobuf import json_format

from cdss._proto import foot_drop_service_pb2
from cdss.answer import answer
from cdss.audit import AuditRecord, Store
from cdss.config import MAX_CASE_BYTES
from cdss.decision import Detail
from cdss.errors import CdssError
from cdss.evaluator import Evaluator
from cdss.grpc_errors import status_code
from cdss.rulebase.compiler import compile_rulebase
from cdss.rulebase.loader import load_rulebase_texts


@dataclass(frozen=True, slots=True)
class ReplayResult:
    identical: bool
    summary: str
    full: str = ""  # with replay(full=True): the FULL answer (trace, why-not) as JSON


def _json(message: bytes | None) -> str:
    if message is None:
        return "(no response)\n"
    resp = foot_drop_service_pb2.EvaluateResponse.FromString(message)
    return json_format.MessageToJson(resp, preserving_proto_field_name=True, indent=1) + "\n"


def _software(message: bytes | None) -> str:
    if message is None:
        return ""
    return foot_drop_service_pb2.EvaluateResponse.FromString(message).software_version


def is_feedback(record: AuditRecord) -> bool:
    """A CDS Hooks feedback record: its request is the feedback JSON, not an EvaluateRequest."""
    return record.method.endswith("/feedback")


def replay(store: Store, record_id: int, full: bool = False) -> ReplayResult:
    """Re-evaluate the stored request with the stored rule base; compare the answers byte for
    byte (deterministic serialisation), and show a diff of their JSON when they differ.

    The answer is compared at the detail level the call asked for; with full, the FULL
    answer (trace and why-not, which a STANDARD call leaves out) is rebuilt from the same
    record and returned as JSON too."""
    record = store.get(record_id)
    if is_feedback(record):
        return ReplayResult(False, f"record {record_id} is CDS Hooks feedback: nothing to replay")
    request = foot_drop_service_pb2.EvaluateRequest.FromString(record.request)
    texts = store.rulebase_texts(record.ruleset_hash)
    evaluator = Evaluator(compile_rulebase(load_rulebase_texts(texts)))
    try:
        loaded = evaluator.compiled.rulebase.content_hash
        if loaded != record.ruleset_hash:
            return ReplayResult(
                False, f"stored rule base hashes to {loaded}, not {record.ruleset_hash}"
            )
        try:
            replayed = answer(evaluator, request, MAX_CASE_BYTES)
            # the software that answered is said, not compared: a newer release replays
            # an old record; what must match is the answer the rules give
            replayed.software_version = _software(record.response)
            response: bytes | None = replayed.SerializeToString(deterministic=True)
            status = "OK"
        except CdssError as exc:
            response, status = None, status_code(exc).name
        rebuilt = ""
        if full and status == "OK":
            full_answer = answer(evaluator, request, MAX_CASE_BYTES, Detail.FULL)
            rebuilt = _json(full_answer.SerializeToString(deterministic=True))
    finally:
        evaluator.close()
    if status == record.status and response == record.response:
        return ReplayResult(
            True,
            f"record {record_id}: identical ({status}, rule base "
            f"{record.ruleset_version} {record.ruleset_hash[:19]})",
            rebuilt,
        )
    diff = "".join(
        difflib.unified_diff(
            _json(record.response).splitlines(keepends=True),
            _json(response).splitlines(keepends=True),
            "recorded",
            "replayed",
        )
    )
    return ReplayResult(
        False,
        f"record {record_id}: DIFFERENT (recorded {record.status}, replayed {status})\n{diff}",
        rebuilt,
    )
