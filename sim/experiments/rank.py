"""Rank routes on one metric: the Kim–Nelson procedure on common random numbers.

Every route runs replications ``0, 1, 2, …`` with the same seed, so replication
``k`` of every route shares the player's skill and luck (common random numbers)
and the procedure works on paired differences (``sim.experiments.kn``). Routes
are culled as soon as their paired difference from another shows they cannot be
the best within the indifference zone ``epsilon``; the others get more
replications, block by block.

The ranking lists the route kept first, then the others by their paired mean
difference from it (culled or not). It reports, per route, the median of the metric, the paired
difference from the best (mean over the replications both received, with a 95%
BCa bootstrap interval, ``sim.analysis.paired``), the replications it received,
and whether it is **equivalent to the best within epsilon**: the whole paired
interval lies within ``epsilon`` on the worse side (the route cannot be worse than
the best by more than ``epsilon``). Times never reached count as the horizon.

The ranking is for **a player who keeps playing**, the way ``runesim compare`` frames
pace: quitting is switched off in every ranked scenario (a validated override, like
``--set quitting.enabled=false``). A player who quits before a milestone would count as
the horizon and swamp the paired differences with the luck of who quits;
``with_quitting=True`` ranks with quitters as modelled and says so. Quitting draws from
its own random stream, so the other draws, and the pairing, are the same either way.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.paired import bootstrap_mean_ci, metric_kind
from sim.analysis.survival import is_time_metric
from sim.errors import InputError
from sim.experiments.kn import KNResult, kim_nelson
from sim.experiments.measures import check_metric, lower_is_better, metric_values
from sim.scenario.schema import Scenario

__all__ = ["RankResult", "rank", "rank_values", "check_metric", "RANK_FILE"]

RANK_FILE = "rank.json"
# First-stage replications: KN's h^2 falls from 12.5 (n0 = 10) to 9.7 (n0 = 20) for six
# routes, and the first-stage variances it multiplies are steadier; on the six shipped
# routes that halves the replications a ranking needs, and n0 = 10 sometimes reaches --max-n.
N0 = 20


@dataclass
class RankResult:
    """A finished ranking: the procedure's record and each route's values."""

    metric: str
    epsilon: float
    confidence: float
    names: list[str]
    kn: KNResult
    censored: list[np.ndarray]
    horizon: tuple[float, float] | None
    seed: int
    n0: int
    max_n: int
    players: str | None = None  # who the ranking is for (None: synthetic values)
    quitters: list[np.ndarray] | None = None  # per route, replications whose player quit first
    data: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.data = self._json()

    def json(self) -> dict[str, Any]:
        return self.data

    def table(self) -> pd.DataFrame:
        """The ranking as a frame: one row per route, best first."""
        rows = []
        for row in self.data["ranking"]:
            lo, hi = row["diff_vs_best"]["ci95"]
            rows.append(
                {
                    "rank": row["rank"],
                    "scenario": row["scenario"],
                    "median": row["median"],
                    "diff_vs_best": row["diff_vs_best"]["mean"],
                    "ci95_low": lo,
                    "ci95_high": hi,
                    "equivalent_to_best": row["equivalent_to_best"],
                    "replications": row["replications"],
                    "culled": row["culled"],
                    "censored": row["censored"],
                }
            )
        return pd.DataFrame(rows)

    def _json(self) -> dict[str, Any]:
        lower = lower_is_better(self.metric)
        order = self.kn.order(lower)
        best = order[0]
        ranking = []
        for rank_no, i in enumerate(order, start=1):
            # a route tied with its twin (equal on every replication of the first stage) is
            # not run again: its figures are its twin's, over all of the twin's replications
            twin = self.kn.twins.get(i, i)
            values = self.kn.values[twin]
            n = min(len(values), len(self.kn.values[best]))
            a, b = self.kn.values[best][:n], values[:n]
            if twin == best:
                mean, ci = 0.0, [0.0, 0.0]
            else:
                ci, _ = bootstrap_mean_ci(a, b, seed=self.seed, label=f"{self.metric}:{twin}")
                mean = float(np.mean(b - a))
            worse_end = ci[1] if lower else -ci[0]
            equivalent = i == best or (math.isfinite(worse_end) and worse_end <= self.epsilon)
            ranking.append(
                {
                    "scenario": self.names[i],
                    "rank": rank_no,
                    "median": _num(np.median(values)),
                    "mean": _num(np.mean(values)),
                    "diff_vs_best": {
                        "mean": _num(mean),
                        "ci95": [_num(ci[0]), _num(ci[1])],
                        "pairs": n,
                    },
                    "equivalent_to_best": bool(equivalent),
                    "replications": len(self.kn.values[i]),  # run for this route itself
                    "culled": self.kn.culled_at[i] is not None,
                    "culled_at": self.kn.culled_at[i],
                    "tied_with": self.names[self.kn.twins[i]] if i in self.kn.twins else None,
                    "censored": int(np.count_nonzero(self.censored[twin])),
                    "quit": int(np.count_nonzero(self.quitters[twin])) if self.quitters else 0,
                }
            )
        culled = [
            {"scenario": self.names[i], "at_replication": self.kn.culled_at[i]}
            for i in sorted(
                (i for i in range(len(self.names)) if self.kn.culled_at[i] is not None),
                key=lambda i: (self.kn.culled_at[i], i),
            )
        ]
        return {
            "metric": self.metric,
            "epsilon": self.epsilon,
            "direction": "lower is better" if lower else "higher is better",
            "confidence": self.confidence,
            "players": self.players,
            "with_quitting": self.players == WITH_QUITTERS,
            "ranking": ranking,
            "culled": culled,
            "guarantee": self._guarantee(best),
            "censoring": self._censoring(),
            "procedure": {
                "name": "Kim-Nelson fully sequential (KN), common random numbers",
                "n0": self.n0,
                "max_n": self.max_n,
                "h2": self.kn.h2,
                "stop": self.kn.stop,
                "last_stage": self.kn.stages,
                "replications_total": int(sum(self.kn.replications)),
                "replications_if_all_to_max_n": self.max_n * len(self.names),
            },
            "seed": self.seed,
        }

    def _guarantee(self, best: int) -> str:
        unit = " h" if metric_kind(self.metric) == "hours" else ""
        conf = f"{self.confidence:.0%}"
        name = self.names[best]
        if self.kn.stop == "max_n":
            left = [self.names[i] for i in self.kn.survivors]
            who = _WHO.get(self.players or "", "")
            return who + (
                f"{'s' if who else 'S'}topped at --max-n {self.max_n} with {len(left)} routes not "
                f"separated ({', '.join(left)}): none of them is shown to be the best within "
                f"{self.epsilon:g}{unit}; {name} has the best mean so far. Raise --max-n or "
                "--epsilon."
            )
        tied, who = "", _WHO.get(self.players or "", "")
        if self.kn.stop == "tied":
            others = [self.names[i] for i in self.kn.survivors if i != best]
            tied = (
                f" ({', '.join(others)} gave exactly the same {self.metric} on every replication "
                f"{'it' if len(others) == 1 else 'they'} received, and "
                f"{'was' if len(others) == 1 else 'were'} kept with it)"
            )
        return who + (
            f"{'w' if who else 'W'}ith probability at least {conf}, {name} is the best route "
            f"on {self.metric} or "
            f"within {self.epsilon:g}{unit} of the best{tied} (Kim-Nelson procedure; it assumes "
            f"the paired differences are roughly normal)."
        )

    def _censoring(self) -> str:
        if not is_time_metric(self.metric):
            return ""
        total = int(sum(int(np.count_nonzero(c)) for c in self.censored))
        quit = int(sum(int(np.count_nonzero(c)) for c in self.quitters or []))
        lo, hi = self.horizon if self.horizon is not None else (None, None)
        h = "" if lo is None else f" ({lo:g} h)" if lo == hi else f" ({lo:g}–{hi:g} h, per route)"
        quitting = self.players == WITH_QUITTERS
        who = "Players who quit or never reached it" if quitting else "Players who never reached it"
        of_them = f", {quit} of them because the player quit" if quitting else ""
        return (
            f"{who} count as their route's horizon{h} "
            f"({total} replication{'s' if total != 1 else ''} here{of_them})."
        )


KEEPS_PLAYING = "who keep playing"
WITH_QUITTERS = "as modelled, quitters included"
_WHO = {
    KEEPS_PLAYING: (
        "For players who keep playing (quitting switched off in every route; "
        "--with-quitting ranks with quitters), "
    ),
    WITH_QUITTERS: "With players who quit as modelled (a quitter counts as the horizon), ",
}


def _num(x: float) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


def _kim_nelson(
    sampler: Any,
    k: int,
    metric: str,
    epsilon: float,
    confidence: float,
    n0: int,
    block: int,
    max_n: int,
) -> KNResult:
    """KN over ``k`` systems at indifference zone ``epsilon``, in ``metric``'s direction."""
    return kim_nelson(
        sampler,
        k,
        delta=epsilon,
        alpha=1 - confidence,
        n0=n0,
        block=block,
        max_n=max_n,
        lower_is_better=lower_is_better(metric),
    )


def rank_values(
    sampler: Any,
    names: Sequence[str],
    *,
    metric: str,
    epsilon: float,
    confidence: float = 0.95,
    n0: int = N0,
    block: int = 10,
    max_n: int = 500,
    seed: int = 0,
) -> RankResult:
    """Rank systems whose values come from ``sampler(systems, start, stop)`` (no censoring)."""
    kn = _kim_nelson(sampler, len(names), metric, epsilon, confidence, n0, block, max_n)
    censored = [np.zeros(len(v), bool) for v in kn.values]
    return RankResult(metric, epsilon, confidence, list(names), kn, censored, None, seed, n0, max_n)


def rank(
    scenarios: Sequence[Scenario],
    *,
    metric: str = "hours_to_level_80",
    epsilon: float = 0.5,
    confidence: float = 0.95,
    n0: int = N0,
    block: int = 10,
    max_n: int = 500,
    seed: int | None = None,
    jobs: int | None = None,
    scheduler: str | None = None,
    evaluator: Any = None,
    with_quitting: bool = False,
) -> RankResult:
    """Rank ``scenarios`` on ``metric`` with KN on common random numbers (one seed for all),
    for players who keep playing unless ``with_quitting``."""
    from sim.experiments.evaluate import KEEP_PLAYING, Evaluator
    from sim.scenario.load import with_overrides

    if len(scenarios) < 2:
        raise InputError.one(None, "SCENARIO", len(scenarios), "two or more scenarios to rank")
    _check_numbers(epsilon, confidence, n0, block, max_n)
    check_metric(metric, scenarios)
    if metric == "quit_hours" and not with_quitting:
        raise InputError.one(
            None,
            "--metric",
            metric,
            "a metric of players who keep playing (add --with-quitting to rank on quit_hours)",
        )
    seed = scenarios[0].seed if seed is None else seed
    overrides = {"seed": seed, **({} if with_quitting else KEEP_PLAYING)}
    scenarios = [with_overrides(s, overrides) for s in scenarios]
    names = _unique([s.name for s in scenarios])
    censored: list[list[np.ndarray]] = [[] for _ in scenarios]
    quit: list[list[np.ndarray]] = [[] for _ in scenarios]
    own = evaluator is None
    ev = Evaluator(jobs=jobs, scheduler=scheduler) if own else evaluator
    try:

        def sampler(systems: Sequence[int], start: int, stop: int) -> np.ndarray:
            frames = ev.run([(scenarios[i], start, stop) for i in systems])
            out = []
            for i, frame in zip(systems, frames, strict=True):
                x, c = metric_values(frame, metric)
                censored[i].append(c)
                left = frame.sort_values("replication", kind="stable")["quit_hours"].notna()
                quit[i].append(c & left.to_numpy(bool))
                out.append(x)
            return np.vstack(out)

        kn = _kim_nelson(sampler, len(scenarios), metric, epsilon, confidence, n0, block, max_n)
    finally:
        if own:
            ev.close()
    horizon = (min(s.horizon_hours for s in scenarios), max(s.horizon_hours for s in scenarios))
    flags = [np.concatenate(c) if c else np.zeros(0, bool) for c in censored]
    quitters = [np.concatenate(c) if c else np.zeros(0, bool) for c in quit]
    players = WITH_QUITTERS if with_quitting else KEEPS_PLAYING
    return RankResult(
        metric, epsilon, confidence, names, kn, flags, horizon, seed, n0, max_n, players, quitters
    )


def _check_numbers(epsilon: float, confidence: float, n0: int, block: int, max_n: int) -> None:
    if not epsilon > 0:
        raise InputError.one(None, "--epsilon", epsilon, "a positive indifference zone")
    if not 0 < confidence < 1:
        raise InputError.one(
            None, "--confidence", confidence, "a probability between 0 and 1, e.g. 0.95"
        )
    if n0 < 2:
        raise InputError.one(None, "--n0", n0, "at least 2 first-stage replications")
    if block < 1:
        raise InputError.one(None, "--block", block, "at least 1 replication per block")
    if max_n < n0:
        raise InputError.one(None, "--max-n", max_n, f"at least --n0 ({n0})")


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n}#{seen[n]}")
    return out
