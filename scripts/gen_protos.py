"""Generate the Python protobuf and gRPC code for protos/cdss/v1 into cdss/_proto/.

Usage: python scripts/gen_protos.py [OUT_DIR]   (default: cdss/_proto)

protoc writes imports relative to its -I root (`from cdss.v1 import case_pb2`), which would
not resolve inside cdss/_proto/; they are rewritten to `from cdss._proto import case_pb2`.
The code is generated into a temporary directory and swapped in whole, so a failed run never
leaves half a tree. tests/test_generated_code.py runs generate() and fails on any difference.

From the same declarations scripts/gen_case_facts.py then writes the typed case facts
(case_facts.py), the contract enums (contract_enums.py) and docs/case-format.md, so that a
case field is declared once, in the .proto.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROTO_ROOT = ROOT / "protos"
PROTO_PACKAGE = Path("cdss/v1")
DEFAULT_OUT = ROOT / "cdss" / "_proto"
DEFAULT_DOCS = ROOT / "docs" / "case-format.md"
CASE_FACTS = ROOT / "scripts" / "gen_case_facts.py"
IMPORT_FROM = re.compile(r"^from cdss\.v1 import (\w+) as (\w+)$", re.MULTILINE)
IMPORT_PLAIN = re.compile(r"^from cdss\.v1 import (\w+)$", re.MULTILINE)
HEADER = '"""Generated from protos/cdss/v1 by scripts/gen_protos.py. Do not edit."""\n'


def proto_files() -> list[Path]:
    return sorted((PROTO_ROOT / PROTO_PACKAGE).glob("*.proto"))


def _fix_imports(text: str) -> str:
    text = IMPORT_FROM.sub(r"from cdss._proto import \1 as \2", text)
    return IMPORT_PLAIN.sub(r"from cdss._proto import \1", text)


def generate(out_dir: Path, docs: Path = DEFAULT_DOCS) -> None:
    """Write the generated modules for every .proto file into out_dir (replaced whole), and
    the case-format documentation to docs."""
    from grpc_tools import protoc  # dev dependency, imported only when generating

    include = Path(protoc.__file__).parent / "_proto"
    # mypy-protobuf's plugin writes typed stubs for the gRPC stubs and servicers
    plugin = Path(sys.executable).parent / "protoc-gen-mypy_grpc"
    if not plugin.exists():
        raise SystemExit(f"{plugin} not found: install the dev dependencies (make install)")
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        raw.mkdir()
        args = [
            "protoc",
            f"-I{PROTO_ROOT}",
            f"-I{include}",
            f"--python_out={raw}",
            f"--pyi_out={raw}",
            f"--grpc_python_out={raw}",
            f"--plugin=protoc-gen-mypy_grpc={plugin}",
            f"--mypy_grpc_out={raw}",
            f"--descriptor_set_out={raw / 'descriptors.pb'}",
            "--include_source_info",
            *(str(p.relative_to(PROTO_ROOT)) for p in proto_files()),
        ]
        # protoc reads paths relative to -I; run it from the proto root for stable output.
        if protoc.main(args) != 0:
            raise SystemExit("protoc failed")
        staged = Path(tmp) / "staged"
        staged.mkdir()
        for src in sorted((raw / PROTO_PACKAGE).iterdir()):
            (staged / src.name).write_text(_fix_imports(src.read_text()))
        (staged / "__init__.py").write_text(HEADER)
        # a fresh process: the staged modules are imported as cdss._proto there
        subprocess.run(
            [sys.executable, str(CASE_FACTS), str(staged), str(raw / "descriptors.pb"), str(docs)],
            check=True,
        )
        if out_dir.exists():
            shutil.rmtree(out_dir)
        shutil.copytree(staged, out_dir)


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    generate(out)
    print(f"generated {len(list(out.glob('*.py')))} modules in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
