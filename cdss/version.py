"""The software's version, as installed (a leaf module: every answer and log line says it)."""

from __future__ import annotations

from importlib import metadata

DISTRIBUTION = "cdss-foot-drop"


def _installed() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # a source tree that was never installed
        return "0+unknown"


SOFTWARE_VERSION = _installed()
