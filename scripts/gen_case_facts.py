"""Generate the typed case facts, the contract enums and docs/case-format.md from the .proto.

Usage (run by scripts/gen_protos.py in a fresh process, on the modules protoc just wrote):
  python scripts/gen_case_facts.py STAGED_PROTO_DIR DESCRIPTOR_SET DOCS_OUT

STAGED_PROTO_DIR holds the freshly generated ``*_pb2.py``; they are imported as
``cdss._proto`` (without importing the rest of the cdss package, which needs the facts this
writes), and cdss/case_fields.py reads the field declarations from them. DESCRIPTOR_SET is
protoc's ``--descriptor_set_out`` with source info: the .proto comments become the docstrings
and the notes of the documentation, so they too are written once.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HEADER = '"""Generated from protos/cdss/v1 by scripts/gen_protos.py. Do not edit.'


def _alias_packages(staged: Path) -> None:
    cdss = types.ModuleType("cdss")
    cdss.__path__ = [str(ROOT / "cdss")]
    proto = types.ModuleType("cdss._proto")
    proto.__path__ = [str(staged)]
    sys.modules["cdss"] = cdss
    sys.modules["cdss._proto"] = proto


class Comments:
    """The .proto comments, by element: messages, fields, enums and enum values."""

    def __init__(self, descriptor_set: Path) -> None:
        from google.protobuf import descriptor_pb2

        fds = descriptor_pb2.FileDescriptorSet.FromString(descriptor_set.read_bytes())
        self._text: dict[tuple[str, ...], str] = {}
        for f in fds.file:
            if not f.package.startswith("cdss."):
                continue
            paths: dict[tuple[int, ...], tuple[str, ...]] = {}
            for i, m in enumerate(f.message_type):
                paths[(4, i)] = (m.name,)
                for j, fld in enumerate(m.field):
                    paths[(4, i, 2, j)] = (m.name, fld.name)
            for i, e in enumerate(f.enum_type):
                paths[(5, i)] = (e.name,)
                for j, v in enumerate(e.value):
                    paths[(5, i, 2, j)] = (e.name, v.name)
            for loc in f.source_code_info.location:
                key = paths.get(tuple(loc.path))
                if key is None:
                    continue
                text = " ".join(
                    line.strip()
                    for part in (loc.leading_comments, loc.trailing_comments)
                    for line in part.splitlines()
                    if line.strip()
                )
                if text:
                    self._text[key] = text

    def get(self, *key: str) -> str:
        return self._text.get(key, "")


def _py_type(f: Any) -> tuple[str, str]:
    """(annotation, default) of one field in the generated dataclass."""
    scalar = {"bool": "bool", "int": "int", "float": "float", "string": "str"}
    if f.kind in scalar:
        if f.optional:
            return f"{scalar[f.kind]} | None", "None"
        return scalar[f.kind], '""' if f.kind == "string" else "0"
    if f.kind == "enum":
        return f"{f.enum.name} | None", "None"
    if f.kind == "set":
        return f"frozenset[{f.enum.name}]", "frozenset()"
    if f.kind == "messages":
        return f"tuple[{f.message.name}, ...]", "()"
    if f.absent_is_unexamined:
        return f"{f.message.name} | None", "None"
    return f.message.name, f"field(default_factory={f.message.name})"


def render_enums(comments: Comments) -> str:
    from cdss import case_fields

    out = [
        f"{HEADER}\n\nThe contract's enumerations as StrEnums whose values are their names; the"
        ' "_UNSPECIFIED" values are absent because "not recorded" is None.\n"""',
        "",
        "from enum import StrEnum",
        "",
        "",
        "class ContractEnum(StrEnum):",
        '    """A StrEnum whose values are the member names, as in the .proto files."""',
    ]
    for enum in case_fields.contract_enums():
        out += ["", ""]
        out.append(f"class {enum.name}(ContractEnum):")
        doc = comments.get(enum.name)
        if doc:
            out.append(f'    """{doc}"""')
            out.append("")
        if enum.name.startswith("Test"):
            out += ["    __test__ = False  # not a pytest test class", ""]
        for name in case_fields.enum_names(enum):
            note = comments.get(enum.name, name)
            out.append(f'    {name} = "{name}"' + (f"  # {note}" if note else ""))
    return "\n".join(out) + "\n"


def render_facts(comments: Comments) -> str:
    from cdss import case_fields
    from cdss._proto import case_pb2

    messages = list(case_pb2.DESCRIPTOR.message_types_by_name.values())
    enums = sorted(
        {f.enum.name for m in messages for f in case_fields.fields_of(m) if f.enum is not None}
    )
    out = [
        f"{HEADER}\n\nTyped, immutable facts of one patient case: the only input the engine"
        ' accepts.\nNone means "not recorded / not examined", never "normal" or "false".\n"""',
        "",
        "from __future__ import annotations",
        "",
        "from dataclasses import dataclass, field",
        "",
        "from cdss._proto.contract_enums import (",
        *(f"    {name}," for name in enums),
        ")",
    ]
    for m in messages:
        out += ["", ""]
        out.append("@dataclass(frozen=True, slots=True)")
        out.append(f"class {m.name}:")
        doc = comments.get(m.name)
        if doc:
            out.append(f'    """{doc}"""')
            out.append("")
        for f in case_fields.fields_of(m):
            annotation, default = _py_type(f)
            note = comments.get(m.name, f.name)
            line = f"    {f.name}: {annotation} = {default}"
            out.append(line + (f"  # {note}" if note else ""))
    mrc = [f.name for f in case_fields.fields_of(case_pb2.LimbExam.DESCRIPTOR) if f.mrc_grade]
    out += ["", "", "MRC_FIELDS: tuple[str, ...] = ("]
    out += [f'    "{name}",' for name in mrc]
    out.append(")")
    return "\n".join(out) + "\n"


DOC_INTRO = """\
# Case format (generated from protos/cdss/v1/case.proto: do not edit)

The structured input the service evaluates and the command-line client reads from a JSON file
(protobuf's JSON mapping with these snake_case names). Written by `make proto` from the field
declarations and comments of the .proto; a test fails when it is stale.

An absent field means "not examined / not known", never "normal" or "false". A yes/no item
that is absent is unknown; `false` means it was asked and is absent. Enum values are prefixed
by their enum's name; `_UNSPECIFIED` (0) means "not recorded" and is refused inside a repeated
field. A value outside its possible range is refused with INVALID_ARGUMENT naming the field.
"""


def _type_words(f: Any) -> str:
    if f.kind == "enum":
        return str(f.enum.name)
    if f.kind == "set":
        return f"repeated {f.enum.name}"
    if f.kind == "messages":
        return f"repeated {f.message.name}"
    if f.kind == "message":
        return str(f.message.name)
    words = {"bool": "yes/no", "int": "integer", "float": "number", "string": "text"}
    return ("optional " if f.optional else "") + words[f.kind]


def _range_words(f: Any) -> str:
    if f.mrc_grade:
        return "MRC grade 0-5 (0 none, 5 normal)"
    if f.low is None and f.high is None:
        return str(f.unit)
    unit = f" {f.unit}" if f.unit else ""
    return f"{_number(f.low)}-{_number(f.high)}{unit}"


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() else f"{value:g}"


def render_docs(comments: Comments) -> str:
    from cdss import case_fields
    from cdss._proto import case_pb2

    out = [DOC_INTRO]
    for m in case_pb2.DESCRIPTOR.message_types_by_name.values():
        out.append(f"## {m.name}")
        doc = comments.get(m.name)
        if doc:
            out += ["", doc]
        out += ["", "| field | type | range | notes |", "|---|---|---|---|"]
        for f in case_fields.fields_of(m):
            note = comments.get(m.name, f.name).replace("|", "/")
            out.append(f"| `{f.name}` | {_type_words(f)} | {_range_words(f)} | {note} |")
        out.append("")
    out += ["## Enumerations", ""]
    for enum in case_fields.contract_enums():
        values = []
        for name in case_fields.enum_names(enum):
            note = comments.get(enum.name, name)
            values.append(f"`{name}`" + (f" ({note})" if note else ""))
        doc = comments.get(enum.name)
        out.append(f"- **{enum.name}**" + (f" ({doc})" if doc else "") + ": " + ", ".join(values))
    return "\n".join(out) + "\n"


def main() -> int:
    staged, descriptor_set, docs = (Path(a) for a in sys.argv[1:4])
    _alias_packages(staged)
    comments = Comments(descriptor_set)
    (staged / "contract_enums.py").write_text(render_enums(comments))
    (staged / "case_facts.py").write_text(render_facts(comments))
    docs.write_text(render_docs(comments))
    return 0


if __name__ == "__main__":
    sys.exit(main())
