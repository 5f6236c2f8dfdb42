"""Print a CDS Hooks patient-view request (JSON) for a case file: the case as the foot-drop
QuestionnaireResponse in the prefetch, with a Patient. For curl and the README.

Usage: python scripts/hook_request.py CASE.json [--patient ID] > request.json
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from pathlib import Path

from cdss.http.fhir_input import ASSESSMENT_KEY
from cdss.http.questionnaire import response_from_case


def hook_request(case: dict[str, object], patient_id: str = "example") -> dict[str, object]:
    return {
        "hook": "patient-view",
        "hookInstance": str(uuid.uuid4()),
        "context": {"userId": "Practitioner/example", "patientId": patient_id},
        "prefetch": {
            "patient": {"resourceType": "Patient", "id": patient_id},
            ASSESSMENT_KEY: response_from_case(case, patient_id),
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("case")
    parser.add_argument("--patient", default="example")
    args = parser.parse_args()
    case = json.loads(Path(args.case).read_text(encoding="utf-8"))
    json.dump(hook_request(case, args.patient), sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
