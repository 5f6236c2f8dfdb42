"""A case in the contract's JSON (docs/case-format.md) to a Case message, with every unknown
field named by its snake_case contract path and the likely meant name.

protobuf's JSON parser stops at the first unknown name and lists the camelCase spellings;
this walks the whole document against the descriptors first, so a case file with three
typos gets one error naming all three as the contract spells them
(``exam.left.ankle_dorsiflexon: no such field (did you mean ankle_dorsiflexion?)``).
"""

from __future__ import annotations

import difflib
import json
from typing import Any

from google.protobuf import json_format
from google.protobuf.descriptor import Descriptor

from cdss._proto import case_pb2
from cdss.errors import CaseError, FieldViolation


def _unknown(data: Any, message: Descriptor, path: str) -> list[FieldViolation]:
    if not isinstance(data, dict):
        return []
    out: list[FieldViolation] = []
    names = [f.name for f in message.fields]
    for key, value in data.items():
        fd = message.fields_by_name.get(key) or next(
            (f for f in message.fields if f.json_name == key), None
        )
        where = f"{path}{key}"
        if fd is None:
            close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]}?" if close else f"the fields are: {', '.join(names)}"
            out.append(FieldViolation(where, f"no such field ({hint})"))
            continue
        if fd.message_type is None:
            continue
        if fd.is_repeated and isinstance(value, list):
            for i, item in enumerate(value):
                out += _unknown(item, fd.message_type, f"{where}[{i}].")
        else:
            out += _unknown(value, fd.message_type, f"{where}.")
    return out


def parse_case(text: str) -> case_pb2.Case:
    """The Case in ``text``, or CaseError (every unknown field, or the first bad value)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CaseError(
            [FieldViolation("case", f"is not JSON: {exc.msg} at line {exc.lineno}")]
        ) from exc
    if not isinstance(data, dict):
        raise CaseError([FieldViolation("case", "must be a JSON object")])
    root: Any = case_pb2.Case.DESCRIPTOR  # the generated stubs type descriptors loosely
    unknown = _unknown(data, root, "")
    if unknown:
        raise CaseError(unknown)
    try:
        return json_format.ParseDict(data, case_pb2.Case())
    except json_format.ParseError as exc:
        raise CaseError([FieldViolation("case", str(exc))]) from exc
