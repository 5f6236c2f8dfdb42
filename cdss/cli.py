"""Command line: `python -m cdss serve | evaluate | rules | audit`.

Exit codes: 0 success, 1 failure (bad case file, unreachable server, invalid input, invalid
rule base), 2 usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import grpc
from google.protobuf import any_pb2, json_format
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from cdss._proto import case_pb2, foot_drop_service_pb2, foot_drop_service_pb2_grpc
from cdss.case_json import parse_case
from cdss.config import ServerConfig
from cdss.errors import CaseError, CdssError
from cdss.paths import DEFAULT_RULES_DIR
from cdss.version import SOFTWARE_VERSION

DEFAULT_TIMEOUT = 10.0
# Retry only UNAVAILABLE (e.g. a server process restarting), never INVALID_ARGUMENT.
SERVICE_CONFIG = json.dumps(
    {
        "methodConfig": [
            {
                "name": [{"service": "cdss.v1.FootDropDecisionSupport"}],
                "retryPolicy": {
                    "maxAttempts": 2,
                    "initialBackoff": "0.2s",
                    "maxBackoff": "1s",
                    "backoffMultiplier": 2,
                    "retryableStatusCodes": ["UNAVAILABLE"],
                },
            }
        ]
    }
)
CHANNEL_OPTIONS = [("grpc.enable_retries", 1), ("grpc.service_config", SERVICE_CONFIG)]


class CliError(Exception):
    """A failure reported as one readable message and exit code 1."""


def read_case(path: Path) -> case_pb2.Case:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CliError(f"cannot read case file {path}: {exc.strerror or exc}") from exc
    try:
        return parse_case(text)
    except CaseError as exc:
        lines = "\n".join(f"  {v}" for v in exc.violations)
        raise CliError(f"{path} is not a valid case:\n{lines}") from exc


def _read(path: str | None, what: str) -> bytes | None:
    if not path:
        return None
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read the {what} {path}: {exc.strerror or exc}") from exc


def client_channel(target: str, args: argparse.Namespace) -> grpc.Channel:
    """Plaintext, TLS (--tls-ca) or mutual TLS (--tls-ca with --tls-cert/--tls-key)."""
    ca = _read(getattr(args, "tls_ca", None), "CA certificate")
    cert = _read(getattr(args, "tls_cert", None), "client certificate")
    key = _read(getattr(args, "tls_key", None), "client key")
    if ca is None and cert is None:
        return grpc.insecure_channel(target, options=CHANNEL_OPTIONS)
    credentials = grpc.ssl_channel_credentials(
        root_certificates=ca, private_key=key, certificate_chain=cert
    )
    return grpc.secure_channel(target, credentials, options=CHANNEL_OPTIONS)


def call_metadata(args: argparse.Namespace) -> tuple[tuple[str, str | bytes], ...]:
    token = getattr(args, "token", None) or os.environ.get("CDSS_TOKEN")
    return (("authorization", f"Bearer {token}"),) if token else ()


@contextlib.contextmanager
def _channel(target: str | None, args: argparse.Namespace) -> Iterator[tuple[grpc.Channel, str]]:
    """A channel to the given server, or to an in-process server started for this call."""
    if target:
        with client_channel(target, args) as channel:
            yield channel, target
        return
    from cdss.server import build_server  # only when serving in-process

    running = build_server(ServerConfig(bind="127.0.0.1", port=0, threads=2))
    running.server.start()
    try:
        address = f"127.0.0.1:{running.port}"
        with grpc.insecure_channel(address, options=CHANNEL_OPTIONS) as channel:
            yield channel, "in-process server"
    finally:
        running.server.stop(None).wait()
        running.evaluator.close()


def _rpc_failure(exc: grpc.RpcError, where: str) -> CliError:
    code = exc.code() if isinstance(exc, grpc.Call) else None
    details = exc.details() if isinstance(exc, grpc.Call) else str(exc)
    if code == grpc.StatusCode.UNAVAILABLE:
        return CliError(f"cannot reach the server at {where}: {details}")
    if code == grpc.StatusCode.DEADLINE_EXCEEDED:
        return CliError(f"the server at {where} did not answer in time")
    status = rpc_status.from_call(exc) if isinstance(exc, grpc.Call) else None
    details_list: list[any_pb2.Any] = list(status.details) if status else []
    fields: list[str] = []
    for detail in details_list:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            fields += [f"  {v.field}: {v.description}" for v in bad.field_violations]
    name = code.name if code else "error"
    if fields:  # each field once: the list, not the message that repeats it
        return CliError(f"{name}: {len(fields)} invalid field(s)\n" + "\n".join(fields))
    return CliError(f"{name}: {details}")


def cmd_evaluate(args: argparse.Namespace) -> int:
    case = read_case(Path(args.case))
    with _channel(args.server, args) as (channel, where):
        stub = foot_drop_service_pb2_grpc.FootDropDecisionSupportStub(channel)
        try:
            # the report's --trace and --why-not need the FULL answer; the default is STANDARD
            full = args.trace or args.why_not
            detail = foot_drop_service_pb2.DETAIL_FULL if full else None
            resp = stub.Evaluate(
                foot_drop_service_pb2.EvaluateRequest(case=case, detail=detail),
                timeout=args.timeout,
                metadata=call_metadata(args),
            )
        except grpc.RpcError as exc:
            raise _rpc_failure(exc, where) from exc
    if args.json:
        from cdss.answer_json import answer_json

        print(answer_json(resp, case))
    elif args.proto_json:
        print(json_format.MessageToJson(resp, preserving_proto_field_name=True, indent=2))
    else:
        from cdss.report import print_report

        print_report(
            resp,
            why_not=args.why_not,
            trace=args.trace,
            intended_use=args.intended_use,
            software=resp.software_version,
        )
    return 0


SERVE_FLAGS = (
    "bind", "port", "workers", "threads", "max_calls", "receive_timeout", "rules_dir",
    "tls_cert", "tls_key", "tls_client_ca", "tokens_file", "audit_db", "metrics_port",
    "log_format", "http_port",
)  # fmt: skip


def cmd_serve(args: argparse.Namespace) -> int:
    from cdss.settings import load
    from cdss.supervisor import serve

    flags = {name: getattr(args, name) for name in SERVE_FLAGS}
    flags["watchdog_seconds"] = args.watchdog
    flags["grace_seconds"] = args.grace
    config = load(flags)  # every bad value refused here, before a socket or a worker
    from cdss.logs import configure

    configure(config.log_format)
    http_port_file = Path(args.http_port_file) if args.http_port_file else None
    return serve(config, Path(args.port_file) if args.port_file else None, http_port_file)


def cmd_audit(args: argparse.Namespace) -> int:
    from cdss.audit_report import audit_command

    return audit_command(args.action, args.id, args.audit_db, args.limit, args.json, full=args.full)


def cmd_new_case(args: argparse.Namespace) -> int:
    """Ask the questions in the terminal, write the case, offer to evaluate it."""
    from cdss.new_case import interview, write_case

    def ask(text: str) -> str:
        try:
            return input(text)
        except EOFError:
            raise CliError("no answer (end of input): no case written") from None

    case = interview(ask, print)
    out = Path(args.output or ask("Write the case to which file? [case.json] ") or "case.json")
    if out.exists() and not args.force:
        raise CliError(f"{out} exists: not overwritten (give --force, or another --output)")
    write_case(case, out)
    print(f"Wrote {out} (a valid case).")
    go = args.evaluate or ask("Evaluate it now? [Y/n] ").strip().lower() in ("", "y", "yes")
    if not go:
        return 0
    args.case, args.json, args.proto_json, args.why_not, args.trace = str(out), 0, 0, 0, 0
    args.intended_use = False
    return cmd_evaluate(args)


def cmd_rules(args: argparse.Namespace) -> int:
    from cdss.rulebase.compiler import compile_rulebase
    from cdss.rulebase.loader import load_rulebase

    if args.action == "impact":
        from cdss.impact import impact

        if not args.against:
            raise CliError("rules impact needs --against REV (a git revision or a rules directory)")
        root = Path(args.cases_root)
        for line in impact(Path(args.rules_dir), args.against, root):
            print(line)
        return 0
    compiled = compile_rulebase(load_rulebase(Path(args.rules_dir)))
    rb = compiled.rulebase
    active = [r for r in rb.rules if r.status == "active"]
    if args.format == "markdown":
        from cdss.rulebase.catalogue import markdown

        text = markdown(compiled)
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
        else:
            print(text, end="")
        return 0
    print(
        f"{len(rb.rules)} rules ({len(active)} active) in {len(compiled.strata)} strata, "
        f"version {rb.meta.version}, {rb.content_hash}"
    )
    if args.action == "list":
        strata = {c.rule.id: s.index for s in compiled.strata for c in s.rules}
        for r in rb.rules:
            print(
                f"{r.id:7} v{r.version} s{strata.get(r.id, 0)} {r.status:7} {r.title}"
                f"  [{r.file}:{r.line}]"
            )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cdss", description="Foot-drop clinical decision support")
    parser.add_argument("-v", "--verbose", action="store_true", help="log to stderr")
    parser.add_argument(
        "--version",
        action="version",
        version=f"cdss {SOFTWARE_VERSION} (rule base in {DEFAULT_RULES_DIR})",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    ev = sub.add_parser("evaluate", help="evaluate a case file and print the answer")
    ev.add_argument("case", help="case file (JSON, case-format contract)")
    ev.add_argument(
        "--server", help="HOST:PORT of a running server (default: start one in-process)"
    )
    ev.add_argument(
        "--json",
        action="store_true",
        help="print the answer as JSON for integrators (every field, typed values, ids)",
    )
    ev.add_argument(
        "--proto-json", action="store_true", help="print the response in protobuf's JSON mapping"
    )
    ev.add_argument(
        "--why-not", action="store_true", help="say what speaks against the other causes"
    )
    ev.add_argument("--trace", action="store_true", help="list every rule that fired")
    ev.add_argument(
        "--intended-use", action="store_true", help="print the full intended-use statement"
    )
    ev.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="deadline in seconds")
    ev.add_argument("--tls-ca", help="CA certificate to verify the server (enables TLS)")
    ev.add_argument("--tls-cert", help="client certificate for mutual TLS")
    ev.add_argument("--tls-key", help="client private key for mutual TLS")
    ev.add_argument("--token", help="bearer token (prefer the CDSS_TOKEN variable)")
    ev.set_defaults(func=cmd_evaluate)

    nc = sub.add_parser(
        "new-case", help="enter a case in the terminal, write it as a case file, evaluate it"
    )
    nc.add_argument("--output", help="the case file to write (asked when not given)")
    nc.add_argument("--force", action="store_true", help="overwrite an existing file")
    nc.add_argument("--evaluate", action="store_true", help="evaluate without asking")
    nc.add_argument("--server", help="HOST:PORT of a running server (default: in-process)")
    nc.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="deadline in seconds")
    nc.set_defaults(func=cmd_new_case)

    sv = sub.add_parser("serve", help="run the gRPC server (flags override CDSS_* variables)")
    sv.add_argument("--bind", help="address to bind (CDSS_BIND, default 127.0.0.1)")
    sv.add_argument("--port", type=int, help="port (CDSS_PORT, default 50051; 0 = any free port)")
    sv.add_argument("--workers", type=int, help="server processes (CDSS_WORKERS, default: CPUs)")
    sv.add_argument("--threads", type=int, help="calls evaluating at once per process (4)")
    sv.add_argument("--max-calls", type=int, help="calls open at once per process (256)")
    sv.add_argument(
        "--receive-timeout", type=float, help="seconds for a request to arrive in full (5)"
    )
    sv.add_argument("--watchdog", type=float, help="kill a worker silent this many seconds (10)")
    sv.add_argument("--grace", type=float, help="seconds to drain on SIGTERM (CDSS_GRACE_SECONDS)")
    sv.add_argument("--rules-dir", help="rule base directory (CDSS_RULES_DIR)")
    sv.add_argument("--port-file", help="write the bound port here once serving (for --port 0)")
    sv.add_argument("--tls-cert", help="server certificate chain, PEM (CDSS_TLS_CERT)")
    sv.add_argument("--tls-key", help="server private key, PEM (CDSS_TLS_KEY)")
    sv.add_argument("--tls-client-ca", help="require client certificates from this CA (mTLS)")
    sv.add_argument("--tokens-file", help="bearer tokens: lines 'NAME TOKEN [METHODS]'")
    sv.add_argument(
        "--audit-db", help="record every evaluation: a SQLite file or a postgresql:// URL"
    )
    sv.add_argument(
        "--metrics-port",
        type=int,
        help="serve Prometheus /metrics on this port (CDSS_METRICS_PORT)",
    )
    sv.add_argument(
        "--log-format", choices=["text", "json"], help="log lines as text or JSON (CDSS_LOG_FORMAT)"
    )
    sv.add_argument(
        "--http-port", type=int, help="also serve CDS Hooks 2.0 and FHIR here (CDSS_HTTP_PORT)"
    )
    sv.add_argument("--http-port-file", help="write the bound HTTP port here (for --http-port 0)")
    sv.set_defaults(func=cmd_serve)

    au = sub.add_parser("audit", help="list, show or replay recorded evaluations")
    au.add_argument("action", choices=["list", "show", "replay"])
    au.add_argument("id", type=int, nargs="?", help="record id (show, replay)")
    au.add_argument(
        "--audit-db", help="the audit store: SQLite file or postgresql:// URL (CDSS_AUDIT_DB)"
    )
    au.add_argument("--db", dest="audit_db", help=argparse.SUPPRESS)  # the old name, kept
    au.add_argument(
        "--full", action="store_true", help="replay: also print the FULL answer (trace, why-not)"
    )
    au.add_argument("--limit", type=int, default=20, help="records to list")
    au.add_argument("--json", action="store_true", help="show: the raw record as JSON")
    au.set_defaults(func=cmd_audit)

    ru = sub.add_parser(
        "rules", help="check or list the rule base, or show which answers a change moves"
    )
    ru.add_argument("action", choices=["check", "list", "impact"], nargs="?", default="check")
    ru.add_argument("--rules-dir", default=str(DEFAULT_RULES_DIR))
    ru.add_argument(
        "--against",
        help="impact: the rule base to compare with - a git revision (its rules/) or a directory",
    )
    ru.add_argument(
        "--cases-root",
        default=str(DEFAULT_RULES_DIR.parent),
        help="impact: the project root whose tests/cases* folders hold the case library",
    )
    ru.add_argument(
        "--format",
        choices=["text", "markdown"],
        default="text",
        help="markdown: the clinician-readable rule catalogue (docs/rules.md)",
    )
    ru.add_argument("--output", help="write the catalogue to this file instead of stdout")
    ru.set_defaults(func=cmd_rules)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose or args.command == "serve" else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
    )
    try:
        result: int = args.func(args)
    except (CliError, CdssError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return result
