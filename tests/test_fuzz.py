"""Property-based fuzzing: arbitrary and malformed input through the real gRPC stack, and the
rule-file loader and compiler on arbitrary rule files. Every input must end as a valid answer
or INVALID_ARGUMENT naming a field (or a RuleBaseError naming the rule), never a crash or hang."""

from __future__ import annotations

from typing import Any

import grpc
import pytest
import yaml
from google.protobuf.descriptor import FieldDescriptor
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_status import rpc_status
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cdss._proto import case_pb2, foot_drop_service_pb2
from cdss.errors import CaseError, RuleBaseError
from cdss.evaluator import Evaluator
from cdss.rulebase.compiler import compile_rulebase
from cdss.rulebase.loader import load_rulebase
from cdss.validation import validate
from tests.conftest import PERONEAL_CASE, ROOT, case_facts
from tests.strategies import wild_cases

PERONEAL_FACTS = case_facts(PERONEAL_CASE)

FUZZ = settings(
    deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
T = FieldDescriptor


def _scalar(field: FieldDescriptor) -> st.SearchStrategy[Any]:
    if field.type == T.TYPE_INT32:
        return st.one_of(st.integers(-(2**31), 2**31 - 1), st.integers(-3, 130))
    if field.type == T.TYPE_ENUM:
        return st.integers(-3, 40)  # includes unknown numbers and 0 (unspecified)
    if field.type == T.TYPE_BOOL:
        return st.booleans()
    if field.type == T.TYPE_DOUBLE:
        return st.floats(allow_nan=True, allow_infinity=True) | st.floats(-10, 1000)
    if field.type == T.TYPE_STRING:
        return st.text(max_size=150)
    raise TypeError(field.type)


@st.composite
def messages(draw: st.DrawFn, descriptor: Any, depth: int = 0) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in descriptor.fields:
        if not draw(st.booleans()):
            continue
        if field.message_type is not None:
            inner = messages(field.message_type, depth + 1)
            out[field.name] = (
                draw(st.lists(inner, max_size=4)) if field.is_repeated else draw(inner)
            )
        elif field.is_repeated:
            size = draw(st.sampled_from([0, 1, 3, 20, 2000]))
            out[field.name] = draw(st.lists(_scalar(field), min_size=min(size, 3), max_size=size))
        else:
            out[field.name] = draw(_scalar(field))
    return out


def build(message: Any, values: dict[str, Any]) -> Any:
    for name, value in values.items():
        field = message.DESCRIPTOR.fields_by_name[name]
        if field.message_type is not None and field.is_repeated:
            for item in value:
                build(getattr(message, name).add(), item)
        elif field.message_type is not None:
            build(getattr(message, name), value)
        elif field.is_repeated:
            getattr(message, name).extend(value)
        else:
            setattr(message, name, value)
    return message


def assert_answer_or_invalid(stub: Any, data: bytes) -> None:
    call = stub.Evaluate.with_call if hasattr(stub.Evaluate, "with_call") else None
    assert call is not None
    try:
        call(data, timeout=20)
    except grpc.RpcError as exc:
        assert isinstance(exc, grpc.Call)
        assert exc.code() == grpc.StatusCode.INVALID_ARGUMENT, (exc.code(), exc.details())
        status = rpc_status.from_call(exc)
        assert status is not None and status.details
        bad = error_details_pb2.BadRequest()
        assert status.details[0].Unpack(bad)
        assert bad.field_violations and all(v.field and v.description for v in bad.field_violations)


@pytest.fixture
def raw_stub(channel: grpc.Channel) -> Any:
    """Evaluate with the request passed as bytes (so malformed bytes can be sent)."""

    class Raw:
        Evaluate = channel.unary_unary(
            "/cdss.v1.FootDropDecisionSupport/Evaluate",
            request_serializer=lambda b: b,
            response_deserializer=foot_drop_service_pb2.EvaluateResponse.FromString,
        )

    return Raw()


@settings(FUZZ, max_examples=150)
@given(values=messages(case_pb2.Case.DESCRIPTOR))
def test_arbitrary_cases_get_an_answer_or_named_fields(
    raw_stub: Any, channel: grpc.Channel, values: dict[str, Any]
) -> None:
    request = foot_drop_service_pb2.EvaluateRequest()
    build(request.case, values)
    assert_answer_or_invalid(raw_stub, request.SerializeToString())
    health = health_pb2_grpc.HealthStub(channel)
    assert (
        health.Check(health_pb2.HealthCheckRequest(), timeout=5).status
        == health_pb2.HealthCheckResponse.SERVING
    )


@settings(FUZZ, max_examples=150)
@given(data=st.binary(max_size=3000))
def test_arbitrary_bytes_get_an_answer_or_invalid_argument(raw_stub: Any, data: bytes) -> None:
    assert_answer_or_invalid(raw_stub, data)


def test_empty_and_deeply_empty_messages(raw_stub: Any) -> None:
    empty_exam = foot_drop_service_pb2.EvaluateRequest(
        case=case_pb2.Case(
            exam=case_pb2.Exam(
                left=case_pb2.LimbExam(), right=case_pb2.LimbExam(), general=case_pb2.GeneralExam()
            )
        )
    )
    for request in (
        foot_drop_service_pb2.EvaluateRequest(),
        foot_drop_service_pb2.EvaluateRequest(case=case_pb2.Case()),
        empty_exam,
    ):
        assert_answer_or_invalid(raw_stub, request.SerializeToString())


# ---- fuzz targets below the gRPC layer ---------------------------------------------------------


@settings(FUZZ, max_examples=300)
@given(case=wild_cases())
def test_validator_admits_only_what_the_engine_can_take(evaluator: Evaluator, case: Any) -> None:
    try:
        validate(case)
    except CaseError as exc:
        assert exc.violations and all(v.field for v in exc.violations)
        return
    evaluator.evaluate(case)  # anything valid must evaluate without error


FACT_NAMES = [
    "A.ankle_dorsiflexion",
    "A.sensory_loss",
    "history.diabetes",
    "presentation.onset",
    "results.hba1c_percent",
    "O.plantar_response",
    "A.nope",
    "patient.age_years",
]
VALUES = st.one_of(
    st.integers(-3, 9),
    st.booleans(),
    st.text(max_size=12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["ONSET_SUDDEN", "SENSORY_REGION_SOLE", "PLANTAR_EXTENSOR", "CAUSE_STROKE"]),
    st.lists(st.sampled_from(["ONSET_SUDDEN", "ONSET_ACUTE", 3, True]), max_size=3),
)
OPS = ["is", "eq", "in", "le", "lt", "ge", "gt", "known", "has", "has_any", "ge_fact", "bogus"]


def conditions(depth: int = 0) -> st.SearchStrategy[Any]:
    leaf = st.one_of(
        st.builds(
            lambda f, op, v: {"fact": f, op: v},
            st.sampled_from(FACT_NAMES),
            st.sampled_from(OPS),
            VALUES,
        ),
        st.builds(
            lambda f: {"finding": f},
            st.sampled_from(["F_FUZZ_A", "F_FUZZ_B", "O.F_FUZZ_A", "F_NOPE", "bad name"]),
        ),
        st.builds(
            lambda c, a: {"cause": c, "at_least": a},
            st.sampled_from(["CAUSE_STROKE", "CAUSE_X"]),
            VALUES,
        ),
        st.builds(
            lambda d, s: {"drug": d, "started": s},
            st.sampled_from(["vinca_alkaloid", "nope"]),
            st.sampled_from(["before_onset", "all_after_onset", "unknown", "soon"]),
        ),
        st.dictionaries(st.text(max_size=5), VALUES, max_size=2),
    )
    if depth >= 3:
        return leaf
    inner = st.lists(st.deferred(lambda: conditions(depth + 1)), max_size=4)
    return st.one_of(
        leaf,
        st.builds(lambda xs: {"all": xs}, inner),
        st.builds(lambda xs: {"any": xs}, inner),
        st.builds(lambda x: {"not": x}, st.deferred(lambda: conditions(depth + 1))),
        st.builds(lambda n, xs: {"at_least": n, "of": xs}, st.integers(-1, 5), inner),
    )


CONCLUSIONS = st.one_of(
    st.builds(lambda f: {"finding": f}, st.sampled_from(["F_FUZZ_A", "F_FUZZ_B", "bad"])),
    st.builds(
        lambda c, w: {"support": c, "weight": w},
        st.sampled_from(["CAUSE_STROKE", "CAUSE_Y"]),
        VALUES,
    ),
    st.builds(
        lambda c, w: {"against": c, "weight": w, "basis": "result"},
        st.sampled_from(["CAUSE_STROKE"]),
        VALUES,
    ),
    st.builds(
        lambda t, u: {"test": t, "urgency": u, "explanation": "fuzz explanation text"},
        st.sampled_from(["TEST_CK", "TEST_NOPE"]),
        st.sampled_from(["URGENCY_URGENT", "LATER"]),
    ),
    st.dictionaries(st.text(max_size=6), VALUES, max_size=3),
)


@st.composite
def rule_files(draw: st.DrawFn) -> list[dict[str, Any]]:
    rules = []
    for i in range(draw(st.integers(1, 4))):
        rule: dict[str, Any] = {
            "id": draw(st.sampled_from([f"R{900 + i}", "R900", "bad id"])),
            "title": "Fuzz rule title",
            "version": draw(st.sampled_from([1, 0, "one"])),
            "status": draw(st.sampled_from(["active", "draft", "live"])),
            "when": draw(conditions()),
            "then": draw(st.lists(CONCLUSIONS, max_size=3)),
            "rationale": "A rule generated by the fuzz test of the loader and compiler.",
            "source": draw(st.sampled_from([[1], [999], [], "1"])),
        }
        if draw(st.booleans()):
            rule["mirror"] = True
        if draw(st.integers(0, 9)) == 0:
            rule[draw(st.text(min_size=1, max_size=8))] = draw(VALUES)
        rules.append(rule)
    return rules


@settings(FUZZ, max_examples=40)
@given(rules=rule_files())
def test_loader_and_compiler_refuse_bad_rules_with_a_rule_base_error(
    tmp_path_factory: pytest.TempPathFactory, rules: list[dict[str, Any]]
) -> None:
    directory = tmp_path_factory.mktemp("rules")
    for name in ("rulebase.yaml", "references.yaml"):
        (directory / name).write_text((ROOT / "rules" / name).read_text())
    (directory / "10-fuzz.yaml").write_text(yaml.safe_dump({"topic": "fuzz", "rules": rules}))
    try:
        compiled = compile_rulebase(load_rulebase(directory))
    except RuleBaseError as exc:
        assert exc.problems and all(str(p) for p in exc.problems)
        return
    evaluator = Evaluator(compiled)  # a compiled rule base must run
    try:
        evaluator.evaluate(PERONEAL_FACTS)
    finally:
        evaluator.close()
