"""Log lines for operators: text, or one JSON object per line (``--log-format json``).

Either way a line holds only what the code logged, and the code logs no patient data (a case
id, a hash of the case, the caller, timings, counts; see cdss/servicer.py). In JSON the
``key=value`` pairs of a message are also given as fields, so a log pipeline can filter on
``status`` or ``ms`` without parsing text.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import re
import sys

from cdss.version import SOFTWARE_VERSION

_PAIR = re.compile(r"(?<!\S)([a-z_][a-z0-9_]*)=(\S+)")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s[%(process)d] %(message)s"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        data: dict[str, object] = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
            "message": message,
            "version": SOFTWARE_VERSION,
        }
        fields = dict(_PAIR.findall(message))
        if fields:
            data["fields"] = fields
        if record.exc_info and record.exc_info[0] is not None:
            data["error"] = record.exc_info[0].__name__  # the type only: a message may quote data
        return json.dumps(data, ensure_ascii=False)


def configure(log_format: str = "text", level: int = logging.INFO) -> None:
    """Send this process's log lines to stderr in the given format (replacing any handler)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)
    )
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    os.environ["CDSS_LOG_FORMAT"] = log_format  # the workers log as their supervisor does
