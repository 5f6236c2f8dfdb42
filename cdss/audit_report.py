"""`cdss audit list | show | replay`: `show ID` gives one recorded call as a clinician or an
auditor reads it (the same renderer as `evaluate`), or the raw record as JSON (``--json``)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from google.protobuf import json_format
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from cdss._proto import foot_drop_service_pb2
from cdss.audit import AuditRecord, open_store
from cdss.audit_pg import is_postgres
from cdss.errors import ConfigError
from cdss.names import fact_text
from cdss.replay import is_feedback, replay
from cdss.report import report


def _leaves(data: Any, path: str) -> list[tuple[str, str]]:
    """(case path, value as the answer's facts write it) for every recorded field."""
    if isinstance(data, dict):
        return [pair for k, v in data.items() for pair in _leaves(v, f"{path}{k}.")]
    if isinstance(data, list):
        if data and isinstance(data[0], dict):  # medications
            return [
                (f"medications.{item.get('name', '?')}.{k}", str(v))
                for item in data
                for k, v in item.items()
                if k != "name"
            ] or [(f"medications.{item.get('name', '?')}.taken", "true") for item in data]
        return [(path.rstrip("."), f"includes {v}") for v in data]
    value = str(data).lower() if isinstance(data, bool) else str(data)
    return [(path.rstrip("."), value)]


def recorded_case(request: foot_drop_service_pb2.EvaluateRequest) -> list[str]:
    """The recorded case in clinical words, one finding a line."""
    data = json_format.MessageToDict(request.case, preserving_proto_field_name=True)
    data.pop("case_id", None)
    return [fact_text(path, value) for path, value in _leaves(data, "")]


def audit_show(record: AuditRecord, width: int) -> list[RenderableType]:
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold", no_wrap=True)
    head.add_column()
    for label, value in (
        ("Record", f"{record.id} ({record.method.rsplit('/', 1)[-1]})"),
        ("Recorded at", record.recorded_at),
        ("Caller", f"{record.caller} on {record.server}"),
        ("Status", record.status),
        ("Rule base", f"{record.ruleset_version} ({record.ruleset_hash})"),
        ("Case", f"{record.case_id or '(no id)'} (sha256 {record.case_sha256})"),
        ("Took", f"{record.duration_ms:.1f} ms"),
    ):
        head.add_row(label, value)
    parts: list[RenderableType] = [Text("Audit record", style="bold underline"), head]
    if is_feedback(record):  # the clinician's feedback on a card, as the CDS client sent it
        parts.append(Text("\nFeedback on card " + record.case_id, style="bold underline"))
        parts.append(Text(record.request.decode("utf-8", "replace")))
        return parts
    if record.request:
        request = foot_drop_service_pb2.EvaluateRequest.FromString(record.request)
        parts.append(Text("\nThe case as recorded", style="bold underline"))
        parts += [Text(f"- {line}") for line in recorded_case(request)]
    if record.response is None:
        parts.append(Text(f"\nNo answer was given (status {record.status}).", style="bold"))
        return parts
    response = foot_drop_service_pb2.EvaluateResponse.FromString(record.response)
    parts.append(Text("\nThe answer as given", style="bold underline"))
    return parts + report(response, width=width, software=response.software_version)


def audit_json(record: AuditRecord) -> str:
    """The raw record: its columns, the request and the response in the contract's JSON."""

    def message(data: bytes | None, kind: type[Any]) -> Any:
        if not data:
            return None
        return json_format.MessageToDict(
            kind.FromString(data),
            preserving_proto_field_name=True,
            always_print_fields_with_no_presence=True,
        )

    feedback = is_feedback(record)
    out = {
        "id": record.id,
        "recorded_at": record.recorded_at,
        "method": record.method,
        "caller": record.caller,
        "server": record.server,
        "status": record.status,
        "case_id": record.case_id,
        "case_sha256": record.case_sha256,
        "ruleset_version": record.ruleset_version,
        "ruleset_hash": record.ruleset_hash,
        "duration_ms": record.duration_ms,
        "request": json.loads(record.request)
        if feedback
        else message(record.request, foot_drop_service_pb2.EvaluateRequest),
        "response": message(record.response, foot_drop_service_pb2.EvaluateResponse),
    }
    return json.dumps(out, indent=2, ensure_ascii=False)


def audit_command(
    action: str, record_id: int | None, db: str | None, limit: int, raw: bool, *, full: bool = False
) -> int:
    """`cdss audit list | show ID | replay ID` on the store at db (or CDSS_AUDIT_DB)."""
    db = db or os.environ.get("CDSS_AUDIT_DB")
    if not db or not (is_postgres(db) or Path(db).exists()):
        raise ConfigError(f"no audit store at {db!r} (give --audit-db or set CDSS_AUDIT_DB)")
    store = open_store(db)
    try:
        if action == "list":
            for r in store.latest(limit):
                print(
                    f"{r.id:8} {r.recorded_at} {r.status:17} {r.case_id[:32]:32} caller={r.caller} "
                    f"rules={r.ruleset_version} {r.ruleset_hash[:19]} {r.duration_ms:.1f} ms"
                )
            return 0
        if record_id is None:
            raise ConfigError(f"audit {action} needs a record ID")
        if action == "show":
            record = store.get(record_id)
            if raw:
                print(audit_json(record))
                return 0
            console = Console()
            for part in audit_show(record, console.width):
                console.print(part)
            return 0
        result = replay(store, record_id, full=full)
        print(result.summary)
        if result.full:
            print(result.full, end="")
        return 0 if result.identical else 1
    finally:
        store.close()
