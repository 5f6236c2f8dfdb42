"""A wheel carries its rule base: built, installed into a fresh virtual environment, it checks
its rules and evaluates a case away from the source tree."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_a_wheel_installed_in_a_fresh_venv_finds_its_rules(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    source = tmp_path / "source"  # a copy: the build must not write into the work tree
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(".venv", ".git", "*.egg-info", "build", "__pycache__", ".*"),
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         str(source), "-w", str(wheels)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    (wheel,) = wheels.glob("cdss_foot_drop-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    # the dependencies (durable-rules builds from C source) come from the test's environment;
    # the project itself only from the wheel
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    (Path(purelib) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    work = tmp_path / "elsewhere"
    work.mkdir()
    shutil.copy(ROOT / "examples" / "peroneal-compression.json", work / "case.json")
    cdss = venv / "bin" / "cdss"
    where = subprocess.run(
        [str(python), "-c", "import cdss.paths; print(cdss.paths.DEFAULT_RULES_DIR)"],
        cwd=work, check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    assert where.startswith(str(venv)) and where.endswith("cdss/_rules")
    check = subprocess.run(
        [str(cdss), "rules", "check"], cwd=work, capture_output=True, text=True, timeout=300
    )
    assert check.returncode == 0, check.stderr
    assert "active" in check.stdout and "sha256:" in check.stdout
    evaluated = subprocess.run(
        [str(cdss), "evaluate", "case.json"],
        cwd=work, capture_output=True, text=True, timeout=300, env={"COLUMNS": "200"},
    )  # fmt: skip
    assert evaluated.returncode == 0, evaluated.stderr
    assert "Leading cause: peroneal neuropathy (likely" in evaluated.stdout
