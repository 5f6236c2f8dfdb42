"""Print a CDS Hooks patient-view request (JSON) for a case file: the case as the foot-drop
QuestionnaireResponse in the prefetch, with a Patient. For curl and the README.

Usage: python scripts/hook_request.py CASE.json [--patient ID] [--instance UUID] > request.json
       python scripts/hook_request.py --write-examples  # examples/hooks/ from examples/*.json
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from pathlib import Path

from cdss.http.fhir_input import ASSESSMENT_KEY
from cdss.http.questionnaire import response_from_case

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def hook_request(
    case: dict[str, object], patient_id: str = "example", instance: str = ""
) -> dict[str, object]:
    return {
        "hook": "patient-view",
        "hookInstance": instance or str(uuid.uuid4()),
        "context": {"userId": "Practitioner/example", "patientId": patient_id},
        "prefetch": {
            "patient": {"resourceType": "Patient", "id": patient_id},
            ASSESSMENT_KEY: response_from_case(case, patient_id),
        },
    }


def example_requests() -> dict[Path, str]:
    """examples/hooks/<case>.json for each examples/<case>.json (fixed hookInstance)."""
    out = {}
    for n, path in enumerate(sorted(EXAMPLES.glob("*.json")), start=1):
        case = json.loads(path.read_text(encoding="utf-8"))
        request = hook_request(case, "example", f"00000000-0000-4000-8000-{n:012d}")
        out[EXAMPLES / "hooks" / path.name] = json.dumps(request, indent=1) + "\n"
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("case", nargs="?")
    parser.add_argument("--patient", default="example")
    parser.add_argument("--instance", default="", help="hookInstance (default: a new UUID)")
    parser.add_argument("--write-examples", action="store_true")
    args = parser.parse_args()
    if args.write_examples:
        for path, text in example_requests().items():
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return 0
    if not args.case:
        parser.error("give a CASE.json (or --write-examples)")
    case = json.loads(Path(args.case).read_text(encoding="utf-8"))
    json.dump(hook_request(case, args.patient, args.instance), sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
