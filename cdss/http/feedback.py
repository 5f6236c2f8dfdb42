"""CDS Hooks feedback: each accepted or overridden card becomes one audit record.

The record's method is `HTTP POST /cds-services/{id}/feedback`, its case id the card's uuid,
its status ACCEPTED or OVERRIDDEN, and its request the feedback item as JSON (the accepted
suggestion ids, the override reason and the clinician's comment). Malformed feedback is a
400 naming the field, like a bad case.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from cdss.audit import Entry
from cdss.errors import CaseError, FieldViolation
from cdss.rulebase.model import RuleBase

OUTCOMES = ("accepted", "overridden")
MAX_ITEMS = 100
MAX_COMMENT = 2000


def _item(i: int, item: Any, out: list[FieldViolation]) -> None:
    where = f"feedback[{i}]"
    if not isinstance(item, dict):
        out.append(FieldViolation(where, "must be an object"))
        return
    if not isinstance(item.get("card"), str) or not item["card"]:
        out.append(FieldViolation(f"{where}.card", "is required (the card's uuid)"))
    outcome = item.get("outcome")
    if outcome not in OUTCOMES:
        out.append(FieldViolation(f"{where}.outcome", f"must be one of {', '.join(OUTCOMES)}"))
    accepted = item.get("acceptedSuggestions")
    if outcome == "accepted" and (
        not isinstance(accepted, list)
        or not accepted
        or not all(isinstance(a, dict) and isinstance(a.get("id"), str) for a in accepted)
    ):
        out.append(
            FieldViolation(f"{where}.acceptedSuggestions", "is required for accepted: [{id}]")
        )
    reason = item.get("overrideReason")
    if reason is not None:
        comment = reason.get("userComment") if isinstance(reason, dict) else None
        if not isinstance(reason, dict) or (
            reason.get("reason") is not None and not isinstance(reason.get("reason"), dict)
        ):
            out.append(FieldViolation(f"{where}.overrideReason", "must be {reason: Coding}"))
        elif comment is not None and (not isinstance(comment, str) or len(comment) > MAX_COMMENT):
            out.append(
                FieldViolation(
                    f"{where}.overrideReason.userComment", f"a string of ≤ {MAX_COMMENT} characters"
                )
            )
    stamp = item.get("outcomeTimestamp")
    try:
        datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        out.append(FieldViolation(f"{where}.outcomeTimestamp", "is required (ISO 8601, UTC)"))


def feedback_entries(rb: RuleBase, caller: str, service_id: str, body: Any) -> list[Entry]:
    """The audit entries for one feedback request (CaseError naming every bad field)."""
    items = body.get("feedback") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        raise CaseError([FieldViolation("feedback", "is required (a non-empty array)")])
    if len(items) > MAX_ITEMS:
        raise CaseError([FieldViolation("feedback", f"more than {MAX_ITEMS} items")])
    out: list[FieldViolation] = []
    for i, item in enumerate(items):
        _item(i, item, out)
    if out:
        raise CaseError(out)
    method = f"HTTP POST /cds-services/{service_id}/feedback"
    return [
        Entry(
            rb,
            caller,
            str(item["card"])[:128],
            "",
            str(item["outcome"]).upper(),
            json.dumps(item, sort_keys=True).encode(),
            None,
            0.0,
            method,
        )
        for item in items
    ]
