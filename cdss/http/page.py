"""The case-entry page at `/`: a small HTML page whose script builds the form from the FHIR
Questionnaire (GET /fhir/Questionnaire/foot-drop), sends the answers as a QuestionnaireResponse
in the prefetch of a CDS Hooks patient-view call and shows the cards, alerts first.

The page, its script and its style ship as package data (cdss/http/static/) and nothing is
fetched from elsewhere (a Content-Security-Policy of 'self' says so to the browser). When the
server has a tokens file the page shows a bearer-token field; the page itself is open, like the
Questionnaire, and every evaluation it asks for needs the token as any other caller's does.
"""

from __future__ import annotations

import functools
from importlib import resources

from starlette.responses import PlainTextResponse, Response

_TYPES = {
    "page.js": "text/javascript; charset=utf-8",
    "page.css": "text/css; charset=utf-8",
}
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


@functools.cache
def _text(name: str) -> str:
    return resources.files("cdss.http").joinpath("static", name).read_text(encoding="utf-8")


def index(token_required: bool) -> Response:
    """The page; `token_required` shows the token field before the first call."""
    html = _text("index.html").replace("{{token_required}}", "true" if token_required else "false")
    return Response(html, media_type="text/html; charset=utf-8", headers=_HEADERS)


def static(name: str) -> Response:
    """One of the page's own files (a fixed list: no path from the request reaches the disk)."""
    if name not in _TYPES:
        return PlainTextResponse("not found", status_code=404)
    return Response(_text(name), media_type=_TYPES[name], headers=_HEADERS)
