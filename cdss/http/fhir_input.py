"""FHIR R4 resources (prefetch or fetched) into a case (contract JSON), naming what was not used.

Each resource is first validated with `fhir.resources` (R4B models); an invalid one is a field
violation naming its prefetch key. Then: a QuestionnaireResponse (the examination, see
questionnaire.py) gives the case; Patient gives age and sex; Condition, Observation,
MedicationStatement / MedicationRequest and DiagnosticReport fill what their codes map to
(the code lists are data: fhir_codes.yaml). The examination wins over a coded resource that
disagrees with it, and the disagreement is reported. A resource or code that maps to nothing
is named in `unused`; the absence of a resource is "not recorded", never "no".
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from cdss import case_fields
from cdss.errors import FieldViolation
from cdss.http.questionnaire import CODE_SYSTEM, MEDICATIONS, Reading, read_response

CODES_FILE = Path(__file__).with_name("fhir_codes.yaml")
ASSESSMENT_KEY = "footDropAssessment"
_SEX = {"female": "SEX_FEMALE", "male": "SEX_MALE", "other": "SEX_OTHER"}
_INACTIVE = {"inactive", "remission", "resolved"}
_NOT_TRUE = {"refuted", "entered-in-error"}
_MED_SKIP = {"entered-in-error", "cancelled", "not-taken", "draft", "stopped", "revoked"}
_OBS_SKIP = {"entered-in-error", "cancelled", "registered"}


@functools.cache
def codes() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(CODES_FILE.read_text(encoding="utf-8"))
    return data


def _systems(name: str) -> set[str]:
    value = codes()["systems"][name]
    return set(value) if isinstance(value, list) else {value}


def _codings(concept: Any) -> list[dict[str, Any]]:
    if not isinstance(concept, dict):
        return []
    return [c for c in concept.get("coding", []) or [] if isinstance(c, dict)]


def _describe(resource: dict[str, Any], concept: Any) -> str:
    label = f"{resource.get('resourceType')}/{resource.get('id', '?')}"
    shown = [
        f"{c.get('system', '?').rsplit('/', 1)[-1]} {c.get('code', '?')}" for c in _codings(concept)
    ]
    text = concept.get("text") if isinstance(concept, dict) else None
    return f"{label} ({'; '.join(shown) or text or 'no code'})"


def _age(birth: str, today: date) -> int | None:
    try:
        born = date.fromisoformat(birth if len(birth) == 10 else f"{birth[:4]}-07-01")
    except ValueError:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _days_since(moment: Any, today: date) -> int | None:
    if not isinstance(moment, str):
        return None
    try:
        when = datetime.fromisoformat(moment.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            when = date.fromisoformat(moment[:10])
        except ValueError:
            return None
    days = (today - when).days
    return days if days >= 0 else None


def _set(reading: Reading, path: str, value: Any, source: str) -> None:
    """Fill a field from a coded resource unless the examination already recorded it."""
    if reading.has(path):
        node: Any = reading.case
        for part in path.split("."):
            node = node[part]
        if node != value:
            reading.unused.append(
                f"{source}: says {path} = {value}; the assessment's {node} is used"
            )
        return
    reading.put(path, value)


def _patient(resource: dict[str, Any], reading: Reading, today: date) -> None:
    birth = resource.get("birthDate")
    if isinstance(birth, str):
        age = _age(birth, today)
        if age is not None:
            _set(reading, "patient.age_years", age, "Patient.birthDate")
    sex = _SEX.get(str(resource.get("gender", "")))
    if sex:
        _set(reading, "patient.sex", sex, "Patient.gender")
    elif resource.get("gender"):
        reading.unused.append(f"Patient.gender {resource['gender']!r}: no case value")


def _condition_field(concept: Any) -> str | None:
    snomed, icd = _systems("snomed"), _systems("icd10")
    for name, lists in codes()["conditions"].items():
        for c in _codings(concept):
            code = str(c.get("code", ""))
            if c.get("system") in snomed and code in lists.get("snomed", []):
                return str(name)
            if c.get("system") in icd and any(code.startswith(p) for p in lists.get("icd10", [])):
                return str(name)
    return None


def _condition(resource: dict[str, Any], reading: Reading) -> None:
    status = {c.get("code") for c in _codings(resource.get("clinicalStatus"))}
    verification = {c.get("code") for c in _codings(resource.get("verificationStatus"))}
    where = _describe(resource, resource.get("code"))
    if status & _INACTIVE or verification & _NOT_TRUE:
        reading.unused.append(f"{where}: not active or not confirmed")
        return
    name = _condition_field(resource.get("code"))
    if name is None:
        reading.unused.append(f"{where}: no case field for this code")
        return
    _set(reading, f"history.{name}", True, where)


def _drug_name(concept: Any) -> str | None:
    table = {str(k): str(v) for k, v in codes()["rxnorm"].items()}
    for c in _codings(concept):
        if c.get("system") in _systems("rxnorm") and str(c.get("code")) in table:
            return table[str(c.get("code"))]
    texts = [concept.get("text")] if isinstance(concept, dict) else []
    texts += [c.get("display") for c in _codings(concept)]
    for text in texts:
        if isinstance(text, str) and text.strip():
            return text.strip().lower()
    return None


def _medication(
    resource: dict[str, Any], reading: Reading, drugs: frozenset[str], today: date
) -> None:
    concept = resource.get("medicationCodeableConcept")
    where = _describe(resource, concept)
    if resource.get("status") in _MED_SKIP:
        reading.unused.append(f"{where}: status {resource.get('status')}")
        return
    name = _drug_name(concept)
    if name is None:
        reading.unused.append(f"{where}: no medication name (a Medication reference is not read)")
        return
    known = next((d for d in sorted(drugs, key=len, reverse=True) if d in name), None)
    med: dict[str, Any] = {"name": known or name}
    if known is None:
        reading.unused.append(f"{where}: {name!r} is in no drug class the rules use (passed on)")
    period = resource.get("effectivePeriod")
    start = period.get("start") if isinstance(period, dict) else None
    days = _days_since(
        start or resource.get("effectiveDateTime") or resource.get("authoredOn"), today
    )
    if days is not None:
        med["days_since_start"] = days
    meds = reading.case.setdefault(MEDICATIONS, [])
    if all(m.get("name") != med["name"] for m in meds):
        meds.append(med)


def _quantity(resource: dict[str, Any], spec: dict[str, Any]) -> float | None:
    q = resource.get("valueQuantity")
    if not isinstance(q, dict) or not isinstance(q.get("value"), int | float):
        return None
    unit = str(q.get("code") or q.get("unit") or "")
    value = float(q["value"])
    if unit in spec["units"]:
        return round(value * float(spec["units"][unit]), 3)
    if unit and unit == spec.get("ifcc_mmol_per_mol"):
        return round(value / 10.929 + 2.15, 2)
    return None


def _results_enum(code: str) -> str | None:
    """The results field whose enum has this value name (LUMBAR_MRI_L5_ROOT_COMPRESSION)."""
    for f in case_fields.fields_of(case_fields.message_named("Results")):
        if f.enum is not None and code in case_fields.enum_names(f.enum):
            return f"results.{f.name}"
    return None


def _observation(resource: dict[str, Any], reading: Reading) -> None:
    where = _describe(resource, resource.get("code"))
    if resource.get("status") in _OBS_SKIP:
        reading.unused.append(f"{where}: status {resource.get('status')}")
        return
    loinc = {
        str(c.get("code"))
        for c in _codings(resource.get("code"))
        if c.get("system") in _systems("loinc")
    }
    for name, spec in codes()["observations"].items():
        if loinc & set(spec["loinc"]):
            value = _quantity(resource, spec)
            if value is None:
                reading.unused.append(f"{where}: no value in a unit the case accepts")
            else:
                _set(reading, f"results.{name}", value, where)
            return
    flags = {c.get("code") for i in resource.get("interpretation", []) or [] for c in _codings(i)}
    for name, spec in codes()["flags"].items():
        if loinc & set(spec["loinc"]):
            if flags & set(spec["sets_true"]):
                _set(reading, f"results.{name}", True, where)
            elif flags & set(spec["sets_false"]):
                _set(reading, f"results.{name}", False, where)
            else:
                reading.unused.append(f"{where}: no interpretation (H, L, N) to read")
            return
    if not _coded_result(resource.get("valueCodeableConcept"), reading, where):
        reading.unused.append(f"{where}: no case field for this code")


def _coded_result(concept: Any, reading: Reading, where: str) -> bool:
    for c in _codings(concept):
        path = _results_enum(str(c.get("code"))) if c.get("system") == CODE_SYSTEM else None
        if path:
            _set(reading, path, str(c.get("code")), where)
            return True
    return False


def _report(resource: dict[str, Any], reading: Reading) -> None:
    where = _describe(resource, resource.get("code"))
    used = [_coded_result(c, reading, where) for c in resource.get("conclusionCode", []) or []]
    if not any(used):
        reading.unused.append(f"{where}: no conclusionCode the case format reads")


def resources_of(key: str, value: Any, out: list[FieldViolation]) -> list[dict[str, Any]]:
    """The resources of one prefetch value (a resource or a searchset Bundle), validated."""
    if value is None:
        return []
    if not isinstance(value, dict) or not isinstance(value.get("resourceType"), str):
        out.append(FieldViolation(f"prefetch.{key}", "must be a FHIR resource or null"))
        return []
    items: list[tuple[str, Any]] = [(f"prefetch.{key}", value)]
    if value["resourceType"] == "Bundle":
        entries = value.get("entry", []) or []
        items = [
            (
                f"prefetch.{key}.entry[{i}].resource",
                e.get("resource") if isinstance(e, dict) else None,
            )
            for i, e in enumerate(entries if isinstance(entries, list) else [])
        ]
    found = []
    for where, resource in items:
        if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
            out.append(FieldViolation(where, "must be a FHIR resource"))
            continue
        try:
            get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        except ValueError as exc:  # pydantic's ValidationError is a ValueError
            out.append(FieldViolation(where, _first_error(exc)))
            continue
        found.append(resource)
    return found


def _first_error(exc: ValueError) -> str:
    if isinstance(exc, ValidationError) and exc.errors():
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first.get("loc", ()))
        return f"invalid FHIR R4 {exc.title}: {loc}: {first.get('msg', '')}".replace(": :", ":")
    return f"not a FHIR R4 resource: {exc}"


def reading_from_fhir(prefetch: dict[str, Any], drugs: frozenset[str], today: date) -> Reading:
    """The case the prefetched (or fetched) resources give, keyed as in the discovery."""
    reading = Reading()
    resources: list[tuple[str, dict[str, Any]]] = []
    for key, value in prefetch.items():
        resources += [(key, r) for r in resources_of(key, value, reading.violations)]
    # one examination, the latest authored; read first, it wins over coded resources
    forms = [r for _, r in resources if r["resourceType"] == "QuestionnaireResponse"]
    forms.sort(key=lambda r: str(r.get("authored", "")), reverse=True)
    for older in forms[1:]:
        reading.unused.append(
            f"QuestionnaireResponse/{older.get('id', '?')} ({older.get('authored', 'undated')}): "
            "an older assessment; the latest is used"
        )
    resources = [(k, r) for k, r in resources if r["resourceType"] != "QuestionnaireResponse"]
    for form in forms[:1]:
        read_response(form, reading)
    for key, resource in resources:
        kind = resource["resourceType"]
        if kind == "Patient":
            _patient(resource, reading, today)
        elif kind == "Condition":
            _condition(resource, reading)
        elif kind in ("MedicationStatement", "MedicationRequest"):
            _medication(resource, reading, drugs, today)
        elif kind == "Observation":
            _observation(resource, reading)
        elif kind == "DiagnosticReport":
            _report(resource, reading)
        elif kind == "OperationOutcome":
            reading.unused.append(f"prefetch {key}: the client could not fetch it")
        else:
            reading.unused.append(f"prefetch {key}: {kind} is not read")
    return reading
