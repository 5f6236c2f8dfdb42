"""The plain Python enums (used by the engine) equal the .proto enums, name for name."""

from __future__ import annotations

import pytest

from cdss import vocabulary
from cdss._proto import case_pb2, decision_pb2

PAIRS = [
    (vocabulary.Sex, case_pb2.Sex),
    (vocabulary.Side, case_pb2.Side),
    (vocabulary.Onset, case_pb2.Onset),
    (vocabulary.Course, case_pb2.Course),
    (vocabulary.Pain, case_pb2.Pain),
    (vocabulary.PainSite, case_pb2.PainSite),
    (vocabulary.Reflex, case_pb2.Reflex),
    (vocabulary.Plantar, case_pb2.Plantar),
    (vocabulary.Tone, case_pb2.Tone),
    (vocabulary.SensoryRegion, case_pb2.SensoryRegion),
    (vocabulary.EmgPattern, case_pb2.EmgPattern),
    (vocabulary.LumbarMri, case_pb2.LumbarMri),
    (vocabulary.BrainMri, case_pb2.BrainMri),
    (vocabulary.CordMri, case_pb2.CordMri),
    (vocabulary.KneeImaging, case_pb2.KneeImaging),
    (vocabulary.CauseCategory, decision_pb2.CauseCategory),
    (vocabulary.CauseGroup, decision_pb2.CauseGroup),
    (vocabulary.Likelihood, decision_pb2.Likelihood),
    (vocabulary.Urgency, decision_pb2.Urgency),
    (vocabulary.AlertKind, decision_pb2.AlertKind),
    (vocabulary.TestKind, decision_pb2.TestKind),
    (vocabulary.TreatmentKind, decision_pb2.TreatmentKind),
    (vocabulary.Leg, decision_pb2.Leg),
]


@pytest.mark.parametrize(("python_enum", "proto_enum"), PAIRS, ids=[p[0].__name__ for p in PAIRS])
def test_enum_matches_proto(python_enum, proto_enum) -> None:
    names = proto_enum.keys()
    proto_names = [n for n in names if not n.endswith("_UNSPECIFIED")]
    assert [m.value for m in python_enum] == proto_names


def test_every_cause_has_a_group() -> None:
    assert set(vocabulary.CAUSE_GROUP) == set(vocabulary.CauseCategory)
