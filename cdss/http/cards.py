"""An answer (EvaluateResponse) as CDS Hooks 2.0 cards: the one place card text is made.

One card per alert (indicator critical for an emergency, warning for urgent, info otherwise),
then the differential with its reasoning (rules, facts, certainty, what to collect next),
the suggested tests (each a ServiceRequest suggestion), the treatment options and, when some
FHIR data could not be used, a card naming it. Emergencies first. Every card has a uuid, a
source naming the rule base and the rules' citations, a link to the rule catalogue and
override reasons. Display names come from `display()` (cdss.names underneath), so a fuller
vocabulary can replace it here alone.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from cdss._proto import decision_pb2, foot_drop_service_pb2
from cdss.names import cause_label, enum_words, fact_text, field_name, words
from cdss.rulebase.model import RuleBase
from cdss.vocabulary import CauseCategory

SUMMARY_LIMIT = 139  # the spec: "<140-character summary"
DETAIL_FACTS = 12
INDICATOR = {
    decision_pb2.URGENCY_EMERGENCY: "critical",
    decision_pb2.URGENCY_URGENT: "warning",
    decision_pb2.URGENCY_ROUTINE: "info",
}
_ORDER = {"critical": 0, "warning": 1, "info": 2}
_CAUSES = {c.value for c in CauseCategory}
_ACRONYMS = {"mri": "MRI", "ct": "CT", "ck": "CK", "hba1c": "HbA1c", "b12": "B12", "emg": "EMG"}
PRIORITY = {  # ServiceRequest.priority (http://hl7.org/fhir/request-priority)
    decision_pb2.URGENCY_EMERGENCY: "stat",
    decision_pb2.URGENCY_URGENT: "urgent",
    decision_pb2.URGENCY_ROUTINE: "routine",
}
TOPIC_SYSTEM = "urn:cdss:v1:case-format"
OVERRIDE_SYSTEM = "urn:cdss:v1:override-reason"
OVERRIDE_REASONS = (
    ("already-addressed", "Already addressed or in progress"),
    ("not-applicable", "Does not apply to this patient"),
    ("finding-incorrect", "A recorded finding is incorrect"),
    ("clinical-judgement", "Clinical judgement differs"),
)


def display(name: str) -> str:
    """The display words of an enum value name (causes, tests, treatments, alert kinds)."""
    if name in _CAUSES:
        return cause_label(CauseCategory(name))
    if name.startswith("LIKELIHOOD_"):
        return enum_words(name, "LIKELIHOOD_")
    text = words(name).replace("emg ncs", "EMG/NCS")
    return " ".join(_ACRONYMS.get(w, w) for w in text.split(" "))


def summary(text: str) -> str:
    """One sentence under 140 characters (cut at a word, with an ellipsis)."""
    text = " ".join(text.split())
    if len(text) <= SUMMARY_LIMIT:
        return text
    return text[: SUMMARY_LIMIT - 1].rsplit(" ", 1)[0].rstrip(",;:-") + "…"


def _facts(facts: Iterable[decision_pb2.Fact]) -> str:
    shown = [fact_text(f.name, f.value) for f in list(facts)[:DETAIL_FACTS]]
    return ", ".join(dict.fromkeys(shown)) or "—"


def _rule_line(rb: RuleBase, rule_id: str) -> str:
    try:
        rule = rb.rule(rule_id)
    except KeyError:
        return f"- **{rule_id}**"
    return f"- **{rule_id}** {rule.title} — {rb.citation(rule)}"


class CardMaker:
    """Cards for one answer; `base_url` is where the catalogue and resources are served."""

    def __init__(self, rulebase: RuleBase, base_url: str, patient_id: str = "") -> None:
        self.rb = rulebase
        self.base = base_url.rstrip("/")
        self.patient_id = patient_id

    def card(
        self, text: str, indicator: str, detail: str, rule_ids: Iterable[str], topic: str
    ) -> dict[str, Any]:
        ids = list(dict.fromkeys(rule_ids))
        sources = "\n".join(_rule_line(self.rb, r) for r in ids)
        rb = self.rb
        footer = (
            f"\n\n**Rules and sources**\n\n{sources}" if sources else ""
        ) + f"\n\n_{rb.meta.intended_use.strip()}_"
        return {
            "uuid": str(uuid.uuid4()),
            "summary": summary(text),
            "indicator": indicator,
            "detail": detail + footer,
            "source": {
                "label": f"Foot-drop CDS rule base {rb.meta.version}"
                + (f" ({', '.join(ids[:6])})" if ids else ""),
                "url": f"{self.base}/rules",
                "topic": {"system": TOPIC_SYSTEM, "code": topic, "display": display(topic)},
            },
            "links": [
                {
                    "label": "Rule catalogue: every rule with its rationale and source",
                    "url": f"{self.base}/rules",
                    "type": "absolute",
                }
            ],
            "overrideReasons": [
                {"system": OVERRIDE_SYSTEM, "code": code, "display": text}
                for code, text in OVERRIDE_REASONS
            ],
        }

    def alert(self, alert: decision_pb2.Alert) -> dict[str, Any]:
        name = decision_pb2.AlertKind.Name(alert.kind)
        lines = [f"**{alert.summary}**", "", f"**Action:** {alert.action}", ""]
        lines.append(f"**Findings:** {_facts(alert.facts)}")
        if alert.withdrawn_by:
            fields = ", ".join(field_name(f) for f in alert.withdrawn_by)
            lines += ["", f"Only a recorded value of one of these withdraws it: {fields}."]
        return self.card(
            alert.summary,
            INDICATOR.get(alert.urgency, "info"),
            "\n".join(lines),
            alert.rule_ids,
            name,
        )

    def differential(
        self, resp: foot_drop_service_pb2.EvaluateResponse, unused: list[str]
    ) -> dict[str, Any]:
        causes = list(resp.causes)
        lead = ", then ".join(
            f"{display(decision_pb2.CauseCategory.Name(c.category))} "
            f"({display(decision_pb2.Likelihood.Name(c.likelihood))}, {c.certainty:.2f})"
            for c in causes[:2]
        )
        head = "Not excluded" if resp.under_documented else "Differential"
        lines = [
            "Certainty is a rule-based weight (0-1), not a probability.",
            "",
            "| # | cause | likelihood | certainty |",
            "|---|---|---|---|",
        ]
        for c in causes[:5]:
            cname = display(decision_pb2.CauseCategory.Name(c.category))
            like = display(decision_pb2.Likelihood.Name(c.likelihood))
            lines.append(f"| {c.rank} | {cname} | {like} | {c.certainty:.2f} |")
        for c in causes[:3]:
            lines += ["", f"**{display(decision_pb2.CauseCategory.Name(c.category))}**: "]
            lines[-1] += c.explanation
            for ref in c.supporting:
                lines.append(
                    f"- for: {ref.rule_id} {ref.title} (+{ref.weight:.2f}) — {_facts(ref.facts)}"
                )
            for ref in c.against:
                lines.append(f"- against: {ref.rule_id} {ref.title} — {_facts(ref.facts)}")
        if resp.requests:
            lines += ["", "**Collect next**"]
            for r in resp.requests[:5]:
                lines.append(
                    f"- {r.question} ({', '.join(field_name(f) for f in r.fields)}) — {r.reason}"
                )
        for title, items in (
            ("Could not be judged", resp.not_assessed),
            ("Conflicts", resp.conflicts),
        ):
            if items:
                lines += ["", f"**{title}**", *[f"- {i}" for i in items]]
        rule_ids = [r for c in causes[:3] for r in c.rule_ids]
        indicator = "warning" if resp.under_documented else "info"
        text = f"{head}: {lead}" if lead else f"{head}: no cause has support yet"
        return self.card(text, indicator, "\n".join(lines), rule_ids, "differential")

    def service_request(self, test: decision_pb2.SuggestedTest) -> dict[str, Any]:
        name = decision_pb2.TestKind.Name(test.test)
        resource: dict[str, Any] = {
            "resourceType": "ServiceRequest",
            "status": "draft",
            "intent": "proposal",
            "priority": PRIORITY.get(test.urgency, "routine"),
            "code": {
                "coding": [{"system": TOPIC_SYSTEM, "code": name, "display": display(name)}],
                "text": display(name),
            },
            "reasonCode": [{"text": summary(test.explanation)}],
        }
        if self.patient_id:
            resource["subject"] = {"reference": f"Patient/{self.patient_id}"}
        if test.timing:
            resource["note"] = [{"text": test.timing}]
        return resource

    def tests(self, tests: list[decision_pb2.SuggestedTest]) -> dict[str, Any] | None:
        if not tests:
            return None
        listed = "; ".join(
            f"{display(decision_pb2.TestKind.Name(t.test))} "
            f"({display(decision_pb2.Urgency.Name(t.urgency))})"
            for t in tests
        )
        lines = []
        for t in tests:
            tname = display(decision_pb2.TestKind.Name(t.test))
            urgency = display(decision_pb2.Urgency.Name(t.urgency))
            timing = f" Timing: {t.timing}" if t.timing else ""
            lines.append(f"- **{tname}** ({urgency}): {t.explanation}{timing} — {_facts(t.facts)}")
        most = min((t.urgency for t in tests), default=decision_pb2.URGENCY_ROUTINE)
        card = self.card(
            f"Suggested tests: {listed}",
            INDICATOR.get(most, "info"),
            "\n".join(lines),
            [r for t in tests for r in t.rule_ids],
            "tests",
        )
        card["suggestions"] = [
            {
                "label": summary(f"Order {display(decision_pb2.TestKind.Name(t.test))}"),
                "uuid": str(uuid.uuid4()),
                "isRecommended": t.urgency == decision_pb2.URGENCY_EMERGENCY,
                "actions": [
                    {
                        "type": "create",
                        "description": summary(
                            f"Propose {display(decision_pb2.TestKind.Name(t.test))} "
                            f"({display(decision_pb2.Urgency.Name(t.urgency))})"
                        ),
                        "resource": self.service_request(t),
                    }
                ],
            }
            for t in tests
        ]
        card["selectionBehavior"] = "any"
        return card

    def treatments(self, items: list[decision_pb2.SuggestedTreatment]) -> dict[str, Any] | None:
        if not items:
            return None
        names = [display(decision_pb2.TreatmentKind.Name(t.treatment)) for t in items]
        lines = [f"- **{n}**: {t.explanation}" for n, t in zip(names, items, strict=True)]
        return self.card(
            f"Treatment options to consider: {', '.join(names)}",
            "info",
            "\n".join(lines),
            [r for t in items for r in t.rule_ids],
            "treatments",
        )

    def unused(self, unused: list[str]) -> dict[str, Any] | None:
        if not unused:
            return None
        detail = "These FHIR data were not available, or were received but not used (no case "
        detail += "field, or a value the case format cannot hold); what is missing counts as "
        detail += "not recorded. Record them in the assessment if they matter:\n\n"
        detail += "\n".join(f"- {u}" for u in unused)
        return self.card(
            f"FHIR data not available or not used: {len(unused)} item(s)",
            "info",
            detail,
            [],
            "unused",
        )

    def cards(
        self, resp: foot_drop_service_pb2.EvaluateResponse, unused: list[str]
    ) -> list[dict[str, Any]]:
        """Every card for one answer, emergencies first (a stable sort on the indicator)."""
        out = [self.alert(a) for a in resp.alerts]
        out.append(self.differential(resp, unused))
        for card in (
            self.tests(list(resp.tests)),
            self.treatments(list(resp.treatments)),
            self.unused(unused),
        ):
            if card is not None:
                out.append(card)
        return sorted(out, key=lambda c: _ORDER[c["indicator"]])
