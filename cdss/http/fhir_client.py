"""Fetching what the prefetch did not bring from the CDS client's FHIR server.

The prefetch templates of the discovery are filled from the hook context and read from
`fhirServer` with the `fhirAuthorization` bearer token, with a timeout. A 404 is "no data"
(null, as a client would send); any other failure of a required key is PreconditionFailed
(HTTP 412, as the specification asks), of another key a note in the answer. The token is
never logged. The FHIR server must be https, except on the loopback interface (local tests).
"""

from __future__ import annotations

import asyncio
import re
from typing import Any
from urllib.parse import urlsplit

import httpx

from cdss.errors import CaseError, FieldViolation, PreconditionFailed

FHIR_TIMEOUT = 5.0  # seconds for each FHIR read (CDS Hooks services should answer in ~500 ms)
MAX_FHIR_BYTES = 4 * 1024 * 1024
_TOKEN = re.compile(r"\{\{\s*context\.([A-Za-z0-9_]+)\s*\}\}")
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def render(template: str, context: dict[str, Any]) -> str | None:
    """The template with its {{context.x}} tokens filled (None when a token has no primitive
    value in the context)."""
    missing = False

    def fill(match: re.Match[str]) -> str:
        nonlocal missing
        value = context.get(match.group(1))
        if not isinstance(value, str | int) or isinstance(value, bool):
            missing = True
            return ""
        return str(value)

    text = _TOKEN.sub(fill, template)
    return None if missing else text


def check_server(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in _LOOPBACK):
        return
    raise CaseError([FieldViolation("fhirServer", "must be an https URL")])


async def fetch(
    fhir_server: str,
    token: str | None,
    wanted: dict[str, str],
    required: set[str],
    notes: list[str],
    *,
    timeout: float = FHIR_TIMEOUT,
) -> dict[str, Any]:
    """{key: resource or Bundle or None} for each wanted key (rendered relative URL)."""
    check_server(fhir_server)
    headers = {"Accept": "application/fhir+json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    base = fhir_server.rstrip("/") + "/"
    limits = httpx.Limits(max_connections=8)
    async with httpx.AsyncClient(
        timeout=timeout, headers=headers, follow_redirects=False, limits=limits
    ) as client:
        results = await asyncio.gather(
            *(_read(client, base + query) for query in wanted.values()), return_exceptions=True
        )
    out: dict[str, Any] = {}
    for key, result in zip(wanted, results, strict=True):
        if not isinstance(result, BaseException):
            out[key] = result
            continue
        reason = type(result).__name__
        if isinstance(result, httpx.HTTPStatusError):
            reason += f" {result.response.status_code}"
        if not isinstance(result, httpx.HTTPError | ValueError):
            raise result
        if key in required:
            raise PreconditionFailed(
                f"prefetch {key!r} was not sent and the FHIR server could not be read ({reason})"
            ) from result
        notes.append(f"prefetch {key}: not sent, and the FHIR server could not be read ({reason})")
    return out


async def _read(client: httpx.AsyncClient, url: str) -> Any:
    """One FHIR read: the JSON, None for 404 (no data), an exception otherwise."""
    response = await client.get(url)
    if response.status_code == 404:
        return None
    response.raise_for_status()
    if len(response.content) > MAX_FHIR_BYTES:
        raise ValueError("response too large")
    return response.json()
