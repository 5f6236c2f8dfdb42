"""The foot-drop examination as a FHIR R4 Questionnaire (SDC), and a QuestionnaireResponse
read back into a case.

The Questionnaire is generated from the case fields (cdss/case_fields.py), so it follows the
contract: each item's `linkId` is the field's case-format path (`presentation.onset`,
`exam.right.ankle_dorsiflexion`, `medications.name`), enum answers are `valueCoding` whose
`code` is the enum value name, MRC grades and counts `valueInteger`, numbers `valueDecimal`,
yes/no `valueBoolean`, repeated fields repeated answers. A response may nest the items in
groups or give them as one flat list. An answer of the wrong type is a field violation on
its linkId; an item whose linkId is no case field is reported as not used, never dropped.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from cdss import case_fields
from cdss.errors import FieldViolation
from cdss.names import enum_words

QUESTIONNAIRE_ID = "foot-drop"
CODE_SYSTEM = "urn:cdss:v1:case-format"  # enum value names, e.g. ONSET_SUDDEN
MEDICATIONS = "medications"
_SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire"
_MIN = "http://hl7.org/fhir/StructureDefinition/minValue"
_MAX = "http://hl7.org/fhir/StructureDefinition/maxValue"
_UNIT = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"
_ITEM_TYPE = {
    "bool": "boolean",
    "int": "integer",
    "float": "decimal",
    "string": "string",
    "enum": "choice",
    "set": "choice",
    "message": "group",
    "messages": "group",
}
_VALUE_KEY = {
    "bool": "valueBoolean",
    "int": "valueInteger",
    "float": "valueDecimal",
    "string": "valueString",
    "enum": "valueCoding",
    "set": "valueCoding",
}
_LABELS = {"exam.left": "Left leg", "exam.right": "Right leg", "exam.general": "General exam"}


def link_id(path: str) -> str:
    """The linkId of a case path (``medications[].name`` -> ``medications.name``)."""
    return path.replace("[]", "")


@functools.cache
def fields_by_link() -> dict[str, case_fields.CaseField]:
    """Every case field by its linkId (built once; callers only read it)."""
    return {link_id(p): f for p, f in case_fields.walk()}


def _label(path: str, f: case_fields.CaseField) -> str:
    if path in _LABELS:
        return _LABELS[path]
    text = f.name.replace("_", " ")
    text = text[0].upper() + text[1:]
    return f"{text} ({f.unit})" if f.unit and not f.mrc_grade else text


def _item(path: str, f: case_fields.CaseField) -> dict[str, Any]:
    item: dict[str, Any] = {"linkId": link_id(path), "text": _label(path, f)}
    item["type"] = _ITEM_TYPE[f.kind]
    if f.kind in ("set", "messages"):
        item["repeats"] = True
    if f.mrc_grade:
        item["text"] += " (MRC 0-5)"
    if f.numeric and f.low is not None and f.high is not None:
        key = "valueInteger" if f.kind == "int" else "valueDecimal"
        low, high = (int(f.low), int(f.high)) if f.kind == "int" else (f.low, f.high)
        item["extension"] = [{"url": _MIN, key: low}, {"url": _MAX, key: high}]
        if f.unit and not f.mrc_grade:
            item["extension"].append({"url": _UNIT, "valueCoding": {"display": f.unit}})
    if f.enum is not None:
        prefix = case_fields.enum_prefix(f.enum)
        item["answerOption"] = [
            {
                "valueCoding": {
                    "system": CODE_SYSTEM,
                    "code": name,
                    "display": enum_words(name, prefix),
                }
            }
            for name in case_fields.enum_names(f.enum)
        ]
    if f.message is not None:
        prefix = f"{path}[]." if f.kind == "messages" else f"{path}."
        item["item"] = [_item(prefix + sub.name, sub) for sub in case_fields.fields_of(f.message)]
    return item


def build_questionnaire(base_url: str = "") -> dict[str, Any]:
    """The Questionnaire resource (FHIR R4 JSON) for the whole case format."""
    top = [_item(f.name, f) for f in case_fields.fields_of(case_fields.message_named("Case"))]
    return {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "meta": {"profile": [_SDC]},
        "url": f"{base_url.rstrip('/')}/fhir/Questionnaire/{QUESTIONNAIRE_ID}"
        if base_url
        else f"urn:cdss:v1:Questionnaire/{QUESTIONNAIRE_ID}",
        "name": "FootDropAssessment",
        "title": "Foot drop: history and examination",
        "status": "active",
        "subjectType": ["Patient"],
        "description": (
            "The structured foot-drop case (case-format contract). Each linkId is a case field "
            "path; an unanswered item is 'not recorded', never 'normal' or 'no'."
        ),
        "item": [i for i in top if i["linkId"] != "case_id"],
    }


@dataclass
class Reading:
    """A case (contract JSON) read from FHIR, with what was wrong and what was not used."""

    case: dict[str, Any] = field(default_factory=dict)
    violations: list[FieldViolation] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)

    def has(self, path: str) -> bool:
        node: Any = self.case
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                return False
            node = node[part]
        return True

    def put(self, path: str, value: Any) -> None:
        *parents, last = path.split(".")
        node = self.case
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value


def _answer_value(
    link: str, f: case_fields.CaseField, answer: Any, out: list[FieldViolation]
) -> Any:
    key = _VALUE_KEY[f.kind]
    if not isinstance(answer, dict):
        out.append(FieldViolation(link, "an answer must be an object"))
        return None
    given = [k for k in answer if k.startswith("value")]
    value = answer.get(key)
    if f.kind == "float" and value is None and isinstance(answer.get("valueInteger"), int):
        value = answer["valueInteger"]
    wrong = (
        value is None
        or (f.kind == "bool" and not isinstance(value, bool))
        or (f.kind == "int" and (isinstance(value, bool) or not isinstance(value, int)))
        or (f.kind == "float" and (isinstance(value, bool) or not isinstance(value, int | float)))
        or (f.kind == "string" and not isinstance(value, str))
    )
    if wrong:
        what = "MRC grade 0-5" if f.mrc_grade else f.kind
        got = ", ".join(given) or "no value"
        out.append(FieldViolation(link, f"expects {key} ({what}), not {got}"))
        return None
    if f.enum is None:
        return value
    code = value.get("code") if isinstance(value, dict) else None
    names = case_fields.enum_names(f.enum)
    if code not in names:
        out.append(FieldViolation(link, f"{code!r} is not a {f.enum.name} value (e.g. {names[0]})"))
        return None
    return code


def _medication(group: dict[str, Any], where: str, reading: Reading) -> None:
    med: dict[str, Any] = {}
    fields = fields_by_link()
    for sub in group.get("item", []) or []:
        link = sub.get("linkId") if isinstance(sub, dict) else None
        f = fields.get(link or "")
        if f is None or not str(link).startswith(f"{MEDICATIONS}."):
            reading.unused.append(f"{where} item {link!r}: not a medication field")
            continue
        values = [_answer_value(str(link), f, a, reading.violations) for a in sub.get("answer", [])]
        if len(values) == 1 and values[0] is not None:
            med[f.name] = values[0]
    if med:
        reading.case.setdefault(MEDICATIONS, []).append(med)


def _walk(items: Any, reading: Reading, seen: set[str]) -> None:
    fields = fields_by_link()
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("linkId"), str):
            reading.violations.append(FieldViolation("item", "every item needs a linkId"))
            continue
        link = item["linkId"]
        answers = item.get("answer") or []
        if link == MEDICATIONS:
            _medication(item, f"QuestionnaireResponse {MEDICATIONS}", reading)
            continue
        f = fields.get(link)
        if f is None:
            reading.unused.append(f"QuestionnaireResponse item {link!r}: no case field")
        elif f.kind in ("message", "messages"):
            pass  # a group: its items carry the answers
        elif link in seen:
            reading.violations.append(FieldViolation(link, "answered more than once"))
        elif link == f"{MEDICATIONS}.name":  # the flat form: one medication per answer
            for answer in answers:
                name = _answer_value(link, f, answer, reading.violations)
                if name is not None:
                    reading.case.setdefault(MEDICATIONS, []).append({"name": name})
        elif link.startswith(f"{MEDICATIONS}."):
            reading.violations.append(
                FieldViolation(link, "give it inside a 'medications' group, beside its name")
            )
        elif answers:
            seen.add(link)
            values = [_answer_value(link, f, a, reading.violations) for a in answers]
            if f.kind == "set":
                if all(v is not None for v in values):
                    reading.put(link, values)
            elif len(values) > 1:
                reading.violations.append(FieldViolation(link, "takes one answer"))
            elif values[0] is not None:
                reading.put(link, values[0])
        _walk(item.get("item"), reading, seen)
        for answer in answers:
            if isinstance(answer, dict):
                _walk(answer.get("item"), reading, seen)


def read_response(response: dict[str, Any], reading: Reading | None = None) -> Reading:
    """The case a QuestionnaireResponse (FHIR JSON, already structurally valid) records."""
    reading = reading or Reading()
    if response.get("status") == "entered-in-error":
        reading.unused.append("QuestionnaireResponse: entered in error")
        return reading
    _walk(response.get("item"), reading, set())
    return reading


def _answers(f: case_fields.CaseField, value: Any) -> list[dict[str, Any]]:
    key = _VALUE_KEY[f.kind]
    if f.enum is not None:
        prefix = case_fields.enum_prefix(f.enum)
        values = value if isinstance(value, list) else [value]
        return [
            {key: {"system": CODE_SYSTEM, "code": v, "display": enum_words(v, prefix)}}
            for v in values
        ]
    return [{key: value}]


def _items(data: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    fields = fields_by_link()
    out: list[dict[str, Any]] = []
    for name, value in data.items():
        link = f"{prefix}{name}"
        f = fields.get(link)
        if f is None or link == "case_id":
            continue
        if f.kind == "message":
            out.append({"linkId": link, "item": _items(value, f"{link}.")})
        elif f.kind == "messages":
            for med in value:
                out.append({"linkId": link, "item": _items(med, f"{link}.")})
        else:
            out.append({"linkId": link, "answer": _answers(f, value)})
    return out


def response_from_case(case: dict[str, Any], patient_id: str = "") -> dict[str, Any]:
    """A QuestionnaireResponse recording a case (contract JSON): the inverse of read_response,
    for examples, scripts and tests."""
    response: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": "urn:cdss:v1:Questionnaire/foot-drop",
        "status": "completed",
        "item": _items(case, ""),
    }
    if patient_id:
        response["subject"] = {"reference": f"Patient/{patient_id}"}
    return response
