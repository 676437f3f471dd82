"""Global sensitivity indices with SALib: the design in the unit cube and the indices of outputs.

Inputs are sampled in the unit cube and mapped to values through each input's
distribution (``Input.value``); independent inputs make Sobol indices invariant
to that map. ``sobol``: Saltelli's scheme on a scrambled Sobol sequence
(``N (D + 2)`` points, first-order and total indices, 95% bootstrap intervals).
``morris``: ``N`` elementary-effect trajectories (``N (D + 1)`` points, mu* with its
95% interval and sigma), a cheap screen for many inputs.

``indices`` takes any evaluator (unit-cube points -> one output each), so the
estimator is tested on functions whose indices are known.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from sim.errors import InputError
from sim.experiments.inputs import Input, from_unit

__all__ = ["METHODS", "Design", "make_design", "design_points", "analyse", "indices", "ranked"]

METHODS = ("sobol", "morris")
_RESAMPLES = 1000
_MORRIS_LEVELS = 4


@dataclass(frozen=True)
class Design:
    """The points of a sensitivity design: ``unit`` in [0, 1]^D, ``values`` in input units."""

    method: str
    inputs: tuple[Input, ...]
    samples: int
    seed: int
    unit: np.ndarray
    values: np.ndarray

    def problem(self) -> dict:
        d = len(self.inputs)
        return {"num_vars": d, "names": [i.name for i in self.inputs], "bounds": [[0.0, 1.0]] * d}


def design_points(method: str, samples: int, inputs: int) -> int:
    """Points a design evaluates: N (D + 2) for Sobol, N (D + 1) for Morris."""
    return samples * (inputs + 2) if method == "sobol" else samples * (inputs + 1)


def make_design(method: str, inputs: Sequence[Input], samples: int, seed: int) -> Design:
    """Sample the design (``InputError`` for an unknown method or a bad sample count)."""
    if method not in METHODS:
        raise InputError.one(None, "--method", method, "one of " + ", ".join(METHODS))
    if len(inputs) < 2:
        raise InputError.one(None, "--params", len(inputs), "at least two uncertain inputs")
    if method == "sobol" and (samples < 2 or samples & (samples - 1)):
        raise InputError.one(
            None, "--samples", samples, "a power of two (2, 4, 8, …, 64, 128) for Sobol"
        )
    if method == "morris" and samples < 2:
        raise InputError.one(None, "--samples", samples, "at least 2 Morris trajectories")
    d = Design(method, tuple(inputs), samples, seed, np.empty((0, 0)), np.empty((0, 0)))
    if method == "sobol":
        from SALib.sample import sobol as sampler

        unit = sampler.sample(
            d.problem(), samples, calc_second_order=False, scramble=True, seed=seed
        )
    else:
        from SALib.sample import morris as sampler

        unit = sampler.sample(d.problem(), samples, num_levels=_MORRIS_LEVELS, seed=seed)
    return Design(method, tuple(inputs), samples, seed, unit, from_unit(inputs, unit))


def analyse(design: Design, y: np.ndarray) -> list[dict]:
    """Each input's indices from the outputs ``y`` (one per design point), in input order."""
    y = np.asarray(y, float)
    if y.shape != (len(design.unit),) or not np.all(np.isfinite(y)):
        raise ValueError(
            f"need one finite output per design point ({len(design.unit)}), got {y.shape}"
        )
    problem = design.problem()
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a constant output divides by zero
        warnings.simplefilter("ignore", UserWarning)  # ... and SALib says so: indices are 0
        if design.method == "sobol":
            from SALib.analyze import sobol

            r = sobol.analyze(
                problem,
                y,
                calc_second_order=False,
                conf_level=0.95,
                num_resamples=_RESAMPLES,
                seed=design.seed,
            )
            for j, inp in enumerate(design.inputs):
                s1, s1c, st, stc = (float(r[k][j]) for k in ("S1", "S1_conf", "ST", "ST_conf"))
                out.append(
                    {
                        "name": inp.name,
                        "keys": list(inp.keys),
                        "range": inp.range,
                        "S1": _num(s1),
                        "S1_ci95": _ci(s1, s1c),
                        "ST": _num(st),
                        "ST_ci95": _ci(st, stc),
                    }
                )
        else:
            from SALib.analyze import morris

            r = morris.analyze(
                problem,
                design.unit,
                y,
                conf_level=0.95,
                num_resamples=_RESAMPLES,
                num_levels=_MORRIS_LEVELS,
                seed=design.seed,
            )
            for j, inp in enumerate(design.inputs):
                mu, muc = float(r["mu_star"][j]), float(r["mu_star_conf"][j])
                out.append(
                    {
                        "name": inp.name,
                        "keys": list(inp.keys),
                        "range": inp.range,
                        "S1": None,
                        "S1_ci95": None,
                        "ST": None,
                        "ST_ci95": None,
                        "mu_star": _num(mu),
                        "mu_star_ci95": _ci(mu, muc),
                        "sigma": _num(float(r["sigma"][j])),
                    }
                )
    return out


def _num(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def _ci(x: float, half: float) -> list[float | None]:
    return [_num(x - half), _num(x + half)]


def indices(
    inputs: Sequence[Input],
    evaluate: Callable[[np.ndarray], np.ndarray],
    *,
    method: str = "sobol",
    samples: int = 64,
    seed: int = 0,
) -> list[dict]:
    """Sample a design, evaluate it (``evaluate(values) -> outputs``, values in input units)
    and return each input's indices."""
    design = make_design(method, inputs, samples, seed)
    return analyse(design, np.asarray(evaluate(design.values), float))


def ranked(parameters: list[dict]) -> list[dict]:
    """Parameters from most to least influential (total index, or mu* for Morris)."""
    key = "ST" if any(p.get("ST") is not None for p in parameters) else "mu_star"
    return sorted(parameters, key=lambda p: -(p.get(key) or 0.0))
