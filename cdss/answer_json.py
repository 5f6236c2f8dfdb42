"""The answer as JSON for integrators (`cdss evaluate --json`).

The contract's names and codes (snake_case fields, enum names), plus what a program needs and
the protobuf JSON mapping leaves out:

- every field, empty lists and false flags included (no key is ever missing);
- numbers as numbers: a fact's value is a JSON number, boolean or null ("not recorded")
  when it is one, its text otherwise (an enum name, "includes SENSORY_REGION_SOLE");
- one rounding: every number that is not whole is rounded to ``DECIMALS`` places, the
  precision of the service's certainty (so a certainty reads the same in every place);
- a stable ``id`` on every alert, cause, test, treatment, request and withheld item, made of
  what the item is (``alert/ACUTE_STROKE/R202``, ``test/EMG_NCS``): the same case and rule base
  give the same ids, and a changed item gets a new one;
- ``request_id``: the first 16 hex digits of the SHA-256 of the case as sent, the
  ``case_sha256`` of the server's log lines and audit records;
- a ``label`` in clinical words (cdss.names) beside each code.

`--proto-json` prints the plain protobuf JSON mapping instead.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from google.protobuf import json_format

from cdss._proto import case_pb2, foot_drop_service_pb2
from cdss.names import display

DECIMALS = 3
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_ITEM_CODE = {
    "alerts": ("kind", "ALERT_KIND_"),
    "causes": ("category", "CAUSE_"),
    "tests": ("test", "TEST_"),
    "treatments": ("treatment", "TREATMENT_"),
}


def request_id(case: case_pb2.Case) -> str:
    return hashlib.sha256(case.SerializeToString(deterministic=True)).hexdigest()[:16]


def typed(value: str) -> Any:
    """A fact's value as JSON: a number, a boolean, null, or its text."""
    if value in ("true", "yes", "present"):
        return True
    if value in ("false", "no", "absent"):
        return False
    if value == "not recorded":
        return None
    if _NUMBER.fullmatch(value):
        number = float(value)
        return int(number) if number.is_integer() and "." not in value else round(number, DECIMALS)
    return value


def _rounded(data: Any) -> Any:
    if isinstance(data, float):
        return int(data) if data.is_integer() else round(data, DECIMALS)
    if isinstance(data, list):
        return [_rounded(x) for x in data]
    if isinstance(data, dict):
        out = {k: _rounded(v) for k, v in data.items()}
        if set(out) == {"name", "value"} and isinstance(out["value"], str):
            out["value"] = typed(out["value"])
        return out
    return data


def _short(code: str, prefix: str) -> str:
    return code.removeprefix(prefix)


def _ids(data: dict[str, Any]) -> None:
    for key, (field, prefix) in _ITEM_CODE.items():
        seen: dict[str, int] = {}
        for item in data.get(key, []):
            code = item[field]
            base = f"{key.rstrip('s')}/{_short(code, prefix)}"
            if key == "alerts":
                base += "/" + "+".join(item["rule_ids"])
            seen[base] = seen.get(base, 0) + 1
            item["id"] = base if seen[base] == 1 else f"{base}/{seen[base]}"
            item["label"] = display(code)
    for i, item in enumerate(data.get("requests", [])):
        item["id"] = f"request/{'+'.join(item['rule_ids']) or i}/{'+'.join(item['fields'])}"
        item["separates_labels"] = [display(c) for c in item["separates"]]
    for item in data.get("withheld", []):
        item["id"] = f"withheld/{item['item']}"
        item["label"] = display(item["item"])
    for item in data.get("treatments", []):
        item["for_causes_labels"] = [display(c) for c in item["for_causes"]]


def answer_dict(
    response: foot_drop_service_pb2.EvaluateResponse, case: case_pb2.Case | None = None
) -> dict[str, Any]:
    data = json_format.MessageToDict(
        response,
        preserving_proto_field_name=True,
        always_print_fields_with_no_presence=True,
    )
    data = dict(_rounded(data))
    _ids(data)
    data["request_id"] = request_id(case) if case is not None else ""
    return data


def answer_json(
    response: foot_drop_service_pb2.EvaluateResponse, case: case_pb2.Case | None = None
) -> str:
    return json.dumps(answer_dict(response, case), indent=2, ensure_ascii=False)
