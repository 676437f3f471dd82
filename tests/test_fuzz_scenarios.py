"""Fuzzing the edge: hypothesis mutates the shipped scenarios (types, values, keys, nesting,
names) and ``--set`` overrides. Every outcome is a valid scenario or an InputError with a
message, never another exception; and every scenario that validates runs one replication
as a batch would (JSON to the worker, tables encoded) without a failure.

Runs in this process (no subprocess per example) with a bounded number of examples.
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from sim.batch.runner import revalidate
from sim.batch.worker import run_chunk
from sim.errors import InputError
from sim.scenario.check import check_scenario
from sim.scenario.load import load_scenario, scenario_from_dict
from sim.scenario.schema import Scenario
from sim.world.load import load_world

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted(
    p for p in (ROOT / "scenarios").glob("*.toml") if not p.name.startswith("optimize_")
)  # search specs
WORLD = load_world()


def _paths(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every key path of the scenario schema (new fields are fuzzed too)."""
    out = []
    for name, field in model.model_fields.items():
        ann = field.annotation
        path = (*prefix, name)
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            out += _paths(ann, path)
        else:
            out.append(path)
    return out


PATHS = _paths(Scenario)

numbers = st.one_of(
    st.sampled_from([0, 1, -1, 2, 5, 9, 60, 713, 714, 10**6, 2**63 - 1, 2**63, 10**15]),
    st.sampled_from(
        [
            0.0,
            0.5,
            -0.5,
            1e-9,
            1 / 60,
            1.0,
            150.0,
            2000.0,
            2001.0,
            1e308,
            math.inf,
            -math.inf,
            math.nan,
        ]
    ),
    st.integers(-1000, 1000),
    st.floats(-1e4, 1e4, allow_nan=False),
)
texts = st.one_of(
    st.sampled_from(
        [
            "",
            "natural",
            "route",
            "rush_mohgwyn",
            "greedy",
            "gamma",
            "../../evil",
            "/abs",
            "a\x00b",
            "<script>x</script>",
            "Vagabond",
            "zone:Narnia",
            "boss:Margit, the Fell Omen",
            'farm "Palace Approach Ledge-Road" until level >= 9999',
            'grind "Limgrave" for 0 min',
        ]
    ),
    st.text(max_size=12),
)
scalars = st.one_of(numbers, texts, st.booleans())
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(texts, inner, max_size=2)),
    max_leaves=4,
)


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    data = tomllib.loads(draw(st.sampled_from(FILES)).read_text(encoding="utf-8"))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS))
        node = data
        for part in path[:-1]:
            child = node.get(part)
            node = node.setdefault(part, {}) if isinstance(child, dict) or child is None else {}
        op = draw(st.sampled_from(["set", "set", "set", "delete", "unknown", "nest"]))
        key = path[-1]
        if op == "set":
            node[key] = draw(values)
        elif op == "delete":
            node.pop(key, None)
        elif op == "unknown":
            node[draw(texts) or "x"] = draw(values)
        elif op == "nest" and key in node:
            node[key] = draw(st.sampled_from([[node[key]], {"a": node[key]}]))
    return data


overrides = st.lists(
    st.builds(
        lambda path, raw: f"{'.'.join(path)}={raw}",
        st.sampled_from(PATHS),
        st.one_of(
            st.sampled_from(
                [
                    "1",
                    "-1",
                    "0",
                    "inf",
                    "nan",
                    "true",
                    '"x"',
                    "[1, 2]",
                    "{a = 1}",
                    "1e308",
                    "9223372036854775808",
                    '"../x"',
                    "[[[[1]]]]",
                    "",
                    "=",
                    '"',
                ]
            ),
            st.text(max_size=8),
        ),
    ),
    max_size=2,
)


def _runs_one_replication(scenario: Scenario) -> None:
    s = revalidate(scenario)
    result = run_chunk(s.model_copy(update={"replications": 1}).model_dump_json(), 0, 1)
    assert result["failed"] == [], result
    assert result["done"] == 1


def _outcome(load) -> Scenario | None:
    try:
        return load()
    except InputError as err:
        assert err.message.strip(), "an InputError without a message"
        assert len(err.message) < 20_000
        return None


@pytest.mark.slow
@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(mutated())
def test_mutated_scenarios_validate_or_say_why_and_valid_ones_run(data):
    """A mutated scenario is either refused with a message or runs one replication cleanly."""

    def load() -> Scenario:
        s = scenario_from_dict(data, "fuzz.toml")
        check_scenario(s, WORLD, "fuzz.toml")
        return s

    scenario = _outcome(load)
    if scenario is not None:
        _runs_one_replication(scenario)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(FILES), overrides)
def test_set_overrides_validate_or_say_why_and_valid_ones_run(path, sets):
    """--set overrides on a shipped scenario: refused with a message, or the result runs."""
    scenario = _outcome(lambda: load_scenario(path, sets, world=WORLD))
    if scenario is not None:
        _runs_one_replication(scenario)
