"""order-select: each selected lumbar MRI or EMG order checked against the answer.

An order the answer suggests gets an info card (with its urgency, timing and reasons; a
warning when it is ordered before the day it is informative); an order the answer withholds,
or does not suggest, gets a warning with the reason and the answer's own suggestions, and a
suggestion to remove the draft order. Alerts are always returned, emergencies first.
"""

from __future__ import annotations

import uuid
from typing import Any

from cdss._proto import decision_pb2, foot_drop_service_pb2
from cdss.http.cards import TOPIC_SYSTEM, CardMaker, display, summary
from cdss.http.fhir_input import codes


def ordered_test(order: dict[str, Any]) -> str | None:
    """The TestKind name a draft order asks for (None when it is no test the rules know)."""
    code = order.get("code")
    concept: dict[str, Any] = code if isinstance(code, dict) else {}
    names = set(decision_pb2.TestKind.keys())
    texts = [str(concept.get("text", ""))]
    table = codes()["orders"]
    cpt = codes()["systems"]["cpt"]
    for c in concept.get("coding", []) or []:
        if isinstance(c, dict):
            if c.get("system") == TOPIC_SYSTEM and c.get("code") in names:
                return str(c["code"])
            for test, spec in table.items():
                if c.get("system") == cpt and str(c.get("code")) in spec["cpt"]:
                    return str(test)
            texts.append(str(c.get("display", "")))
    text = " ".join(texts).lower()
    for test, spec in table.items():
        if any(all(word in text for word in phrase) for phrase in spec["phrases"]):
            return str(test)
    return None


def selected_orders(context: dict[str, Any]) -> list[dict[str, Any]]:
    selections = {s for s in context.get("selections", []) if isinstance(s, str)}
    out = []
    for entry in context.get("draftOrders", {}).get("entry", []) or []:
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict):
            continue
        ref = f"{resource.get('resourceType')}/{resource.get('id')}"
        if ref in selections:
            out.append(resource)
    return out


def _remove(order: dict[str, Any], label: str) -> dict[str, Any]:
    ref = f"{order.get('resourceType')}/{order.get('id')}"
    return {
        "label": summary(label),
        "uuid": str(uuid.uuid4()),
        "actions": [{"type": "delete", "description": summary(label), "resourceId": ref}],
    }


def order_cards(
    maker: CardMaker,
    resp: foot_drop_service_pb2.EvaluateResponse,
    context: dict[str, Any],
    days_since_onset: int | None,
    unused: list[str],
) -> list[dict[str, Any]]:
    cards = [maker.alert(a) for a in resp.alerts]
    suggested = {decision_pb2.TestKind.Name(t.test): t for t in resp.tests}
    withheld = {w.item: w for w in resp.withheld}
    others = ", ".join(display(n) for n in suggested) or "no test"
    for order in selected_orders(context):
        test = ordered_test(order)
        ref = f"{order.get('resourceType')}/{order.get('id')}"
        if test is None:
            unused.append(f"{ref}: not a test the foot-drop rules judge")
            continue
        name = display(test)
        if test in suggested:
            t = suggested[test]
            early = (
                t.HasField("earliest_day_after_onset")
                and days_since_onset is not None
                and days_since_onset < t.earliest_day_after_onset
            )
            urgency = decision_pb2.Urgency.Name(t.urgency)
            text = (
                f"{name} ordered on day {days_since_onset}: most informative from day "
                f"{t.earliest_day_after_onset}"
                if early
                else f"{name} is suggested for this case ({display(urgency)})"
            )
            detail = f"{t.explanation}\n\n{t.timing}".strip()
            card = maker.card(text, "warning" if early else "info", detail, t.rule_ids, test)
        else:
            why = withheld.get(test)
            reason = why.reason if why else f"no rule suggests it; the answer suggests {others}"
            detail = f"**{name}** is not suggested: {reason}\n\nSuggested instead: {others}."
            card = maker.card(
                f"{name} is not suggested for this case: {reason}",
                "warning",
                detail,
                why.rule_ids if why else [],
                test,
            )
            card["suggestions"] = [_remove(order, f"Remove the draft {name} order")]
            card["selectionBehavior"] = "at-most-one"
        cards.append(card)
    return cards
