"""Sensitivity indices: the estimator recovers known indices, the verdict flip share counts
the right region, and sampled values reach a scenario only through validation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.errors import InputError
from sim.experiments.indices import analyse, indices, make_design
from sim.experiments.inputs import (
    Input,
    apply_values,
    packaged_inputs,
    resolve_inputs,
    select_inputs,
    values_as_written,
)
from sim.scenario.load import scenario_from_dict


def unit_inputs(d: int, low: float = 0.0, high: float = 1.0) -> list[Input]:
    return [Input(f"x{i}", (f"x{i}",), "set", low, high, "uniform", "test", "") for i in range(d)]


def inside(value: float, ci: list[float]) -> bool:
    return ci[0] <= value <= ci[1]


def test_additive_model_indices_are_recovered_within_their_intervals():
    """Y = x0 + 2 x1 + 3 x2 on uniform inputs has S_i = ST_i = a_i^2 / sum a^2 (1/14, 4/14,
    9/14)."""
    a = np.array([1.0, 2.0, 3.0])
    truth = a**2 / np.sum(a**2)
    res = indices(unit_inputs(3), lambda x: x @ a, samples=256, seed=3)
    for p, t in zip(res, truth, strict=True):
        assert inside(t, p["S1_ci95"]), (p["name"], t, p["S1_ci95"])
        assert inside(t, p["ST_ci95"]), (p["name"], t, p["ST_ci95"])


def test_ishigami_indices_are_recovered_within_their_intervals():
    """The Ishigami function (a = 7, b = 0.1, inputs uniform on [-pi, pi]) has known S1 and ST."""
    a, b = 7.0, 0.1
    v = a**2 / 8 + b * math.pi**4 / 5 + b**2 * math.pi**8 / 18 + 0.5
    v1 = 0.5 * (1 + b * math.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * math.pi**8 * (1 / 18 - 1 / 50)
    s1 = [v1 / v, v2 / v, 0.0]
    st = [(v1 + v13) / v, v2 / v, v13 / v]

    def ishigami(x: np.ndarray) -> np.ndarray:
        return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])

    res = indices(unit_inputs(3, -math.pi, math.pi), ishigami, samples=1024, seed=1)
    for p, t1, tt in zip(res, s1, st, strict=True):
        assert inside(t1, p["S1_ci95"]), (p["name"], t1, p["S1_ci95"])
        assert inside(tt, p["ST_ci95"]), (p["name"], tt, p["ST_ci95"])


def test_morris_ranks_a_linear_model_by_its_slopes():
    """Morris mu* of a linear model equals each slope times its input's range."""
    res = indices(
        unit_inputs(3), lambda x: x @ np.array([1.0, 2.0, 3.0]), method="morris", samples=10
    )
    assert [round(p["mu_star"], 6) for p in res] == [1.0, 2.0, 3.0]
    assert all(p["S1"] is None for p in res)


def test_sobol_samples_must_be_a_power_of_two():
    """A Sobol design with N = 48 is an input error naming --samples."""
    with pytest.raises(InputError, match="--samples"):
        make_design("sobol", unit_inputs(2), 48, 0)


def test_analyse_rejects_missing_outputs():
    """A design point without an output is an error, not an index computed on fewer points."""
    d = make_design("sobol", unit_inputs(2), 8, 0)
    y = np.ones(len(d.unit))
    y[3] = np.nan
    with pytest.raises(ValueError, match="finite"):
        analyse(d, y)


@pytest.fixture(scope="module")
def natural():
    from sim.scenario.load import load_scenario
    from tests.test_cli import NATURAL

    return load_scenario(NATURAL, check=False)


def test_packaged_inputs_cover_the_main_unknowns():
    """At least six packaged inputs, each with a reason, a kind and a valid range."""
    inputs = packaged_inputs()
    assert len(inputs) >= 6
    assert {"farm_loop_scale", "explore_scale", "kill_time_scale", "death_intercept"} <= set(inputs)
    for i in inputs.values():
        assert i.reason and i.kind and i.high > i.low


def test_every_packaged_input_applies_to_the_shipped_scenario(natural):
    """Each packaged input, at both ends of its range, gives a valid scenario."""
    inputs = list(resolve_inputs(natural).values())
    for end in (0.0, 1.0):
        values = [i.value(end) for i in inputs]
        s = apply_values(natural, inputs, values)
        assert s.model.travel.explore_scale == pytest.approx(
            values[[i.name for i in inputs].index("explore_scale")]
        )


def test_scale_inputs_multiply_the_scenario_values(natural):
    """kill_time_scale = 2 doubles each kill time and leaves the original scenario unchanged."""
    inp = select_inputs(resolve_inputs(natural), ["kill_time_scale"])
    s = apply_values(natural, inp, [2.0])
    kt, kt0 = s.model.kill_time, natural.model.kill_time
    assert (kt.common_seconds, kt.elite_seconds) == (2 * kt0.common_seconds, 2 * kt0.elite_seconds)
    assert values_as_written(natural, inp) == [1.0]


def test_a_value_outside_a_bound_is_an_input_error(natural):
    """Applying explore_scale = -1 fails validation like --set would, naming the key path."""
    inp = select_inputs(resolve_inputs(natural), ["explore_scale"])
    with pytest.raises(InputError, match="model.travel.explore_scale"):
        apply_values(natural, inp, [-1.0])


def test_scenario_section_overrides_part_of_a_packaged_range(natural):
    """[uncertainty.inputs.explore_scale] low = 0.3 keeps the packaged high, keys and reason."""
    data = natural.model_dump(mode="json")
    data["uncertainty"] = {"inputs": {"explore_scale": {"low": 0.3}}}
    got = resolve_inputs(scenario_from_dict(data))["explore_scale"]
    packaged = packaged_inputs()["explore_scale"]
    assert (got.low, got.high, got.keys, got.reason) == (
        0.3,
        packaged.high,
        packaged.keys,
        packaged.reason,
    )


def test_unknown_key_path_in_the_scenario_section_is_named(natural):
    """An input moving a key path that is not a numeric scenario value is an InputError."""
    data = natural.model_dump(mode="json")
    data["uncertainty"] = {"inputs": {"x": {"keys": ["model.travel.nope"], "low": 0, "high": 1}}}
    with pytest.raises(InputError, match="uncertainty.inputs.x.keys"):
        resolve_inputs(scenario_from_dict(data))


def test_unknown_param_suggests_a_name(natural):
    """--params with a misspelt input name says which names exist."""
    with pytest.raises(InputError, match="explore_scale"):
        select_inputs(resolve_inputs(natural), ["explore_scal"])


def test_verdict_flip_share_counts_the_region_where_the_verdict_changes(natural):
    """With t = explore_scale's place in its range [low, high] (0 to 1), diff = 10 (0.4 t - 0.15) h
    and a 1 h margin: the as-written value (t = 0.5) is 'equivalent', which holds for t in
    [0.125, 0.625]: half of the range."""
    from sim.experiments.sensitivity import plan, summarise

    p = plan(
        natural,
        natural,
        "hours_to_level_80",
        samples=256,
        inner=1,
        params=["explore_scale", "death_slope"],
    )
    values = np.vstack([p.design.values, np.asarray(p.as_written)[None, :]])
    lo, hi = p.design.inputs[0].low, p.design.inputs[0].high
    t = (values[:, 0] - lo) / (hi - lo)
    y = 10.0 * (0.4 * t - 0.15)
    out = summarise(p, y)
    assert out["verdict_flip_share"] == pytest.approx(0.5, abs=0.03)
    assert out["parameters"][0]["name"] == "explore_scale"
    assert out["parameters"][0]["ST"] == pytest.approx(1.0, abs=0.05)
