"""cdss exports a small public surface (what the CLI, the server and an embedding program use)."""

from __future__ import annotations

import cdss


def test_exported_members() -> None:
    public = sorted(name for name in dir(cdss) if not name.startswith("_") and name[0].isupper())
    assert sorted(cdss.__all__) == public
    assert cdss.__all__ == sorted(cdss.__all__)
