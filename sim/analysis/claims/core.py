"""What every claim is built from: runs, game tables, parts with intervals, verdicts.

A claim is split into parts. Each part is one figure with a 95% interval: a percentile
bootstrap over playthroughs (resampling whole replications), or an exact interval when the
figure is a game constant. A part *holds* when its whole interval clears its threshold,
*fails* when its whole interval misses it, and is *undecided* otherwise (or *missing* when
the runs hold no data for it). The thresholds and the article's words live in
``sim/data/claims.toml``; nothing here names a verdict.
"""

from __future__ import annotations

import math
import re
import tomllib
import weakref
from dataclasses import asdict, dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sim.analysis.resample import Counts

if TYPE_CHECKING:
    from sim.world.schema import World

__all__ = [
    "Claim",
    "Part",
    "RunFrames",
    "GameTables",
    "Boot",
    "config",
    "game_tables",
    "verdict",
    "json_safe",
    "base_name",
    "pivot",
    "spearman_rows",
    "trend_ratio",
]

DATA = Path(__file__).resolve().parents[2] / "data"


@cache
def config(path: str | None = None) -> dict:
    """The claims' wording, the article's figures and the verdict thresholds (claims.toml)."""
    with open(path or DATA / "claims.toml", "rb") as f:
        return tomllib.load(f)


@dataclass
class Part:
    """One part of a claim: a figure, its 95% interval, the threshold it must clear."""

    name: str
    value: float | None
    ci95: list
    threshold: float | None
    status: str  # holds | fails | undecided | missing
    text: str  # what the figure is, in words
    exact: bool = False  # a game constant: the interval is the value itself

    @classmethod
    def measured(
        cls, name: str, value: float, ci: list, threshold: float, text: str, exact: bool = False
    ) -> Part:
        lo, hi = ci
        if value is None or not np.isfinite(value):
            return cls(name, None, [None, None], threshold, "missing", text, exact)
        if lo is not None and np.isfinite(lo) and lo >= threshold:
            status = "holds"
        elif hi is not None and np.isfinite(hi) and hi < threshold:
            status = "fails"
        else:
            status = "undecided"
        return cls(name, float(value), [lo, hi], threshold, status, text, exact)

    @classmethod
    def missing(cls, name: str, why: str) -> Part:
        return cls(name, None, [None, None], None, "missing", why)


@dataclass
class Claim:
    """One claim: its verdict, the key figure's interval, its parts and figures."""

    number: int
    claim: str
    verdict: str
    summary: str
    ci95: list = field(default_factory=lambda: [None, None])
    figures: dict = field(default_factory=dict)
    key: str = ""  # what the key figure (``figures["key"]``) is
    parts: list = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {k: json_safe(v) for k, v in asdict(self).items()}


def verdict(parts: list[Part]) -> tuple[str, str]:
    """The verdict of a claim's parts, and which parts disagree (or what is missing)."""
    holds = [p.name for p in parts if p.status == "holds"]
    fails = [p.name for p in parts if p.status == "fails"]
    other = [p for p in parts if p.status in ("undecided", "missing")]
    if holds and not fails and not other:
        return "supported", "every part holds"
    if not holds and not fails:
        return "not measured", "; ".join(
            f"{p.name}: {p.text}"
            if p.status == "missing"
            else f"{p.name}: interval straddles the threshold"
            for p in other
        )
    if not holds:
        return "not supported", "no part holds (" + ", ".join(fails) + " fail" + (
            "; " + ", ".join(p.name for p in other) + " undecided or missing)" if other else ")"
        )
    why = "holds: " + ", ".join(holds)
    if fails:
        why += "; fails: " + ", ".join(fails)
    if other:
        why += "; undecided or missing: " + ", ".join(p.name for p in other)
    return "partly supported", why


@dataclass
class RunFrames:
    """One run's tables (never stacked with another's) and what the analysis needs of its
    scenario."""

    name: str
    income: pd.DataFrame
    activity: pd.DataFrame
    events: pd.DataFrame | None = None
    replications: pd.DataFrame | None = None
    strategy: str = ""
    ng_cycle: int = 0
    pvp: dict = field(default_factory=dict)  # the scenario's pvp section (hot spots, reward base)

    @property
    def reps(self) -> np.ndarray:
        """Replication ids, from the replications table or the union of the frames."""
        if self.replications is not None and len(self.replications):
            ids = self.replications["replication"]
        else:
            ids = pd.concat([self.income["replication"], self.activity["replication"]])
        return np.unique(ids.to_numpy(dtype="int64"))


@dataclass
class GameTables:
    """The game data the claims read: enemies, bosses, zones, enemy kinds, PvP places."""

    enemies: pd.DataFrame  # name, zone, class, runes, tier
    bosses: pd.DataFrame  # name, zone, region, runes, ng_plus_runes, tier
    zones: pd.DataFrame  # name, region, tier, kind, main_path, level_low, level_high
    kinds: pd.DataFrame  # name, category, article_kind, source
    hot_spots: tuple[str, ...] = ()


def game_tables(world: World | None = None) -> GameTables:
    """The game tables of a world (default: ``sim/data``) plus the sourced kinds and places."""
    if world is None:
        from sim.world.load import load_world

        world = load_world()
    zones = pd.DataFrame(
        [
            {
                "name": z.name,
                "region": z.region,
                "tier": z.tier,
                "kind": z.kind,
                "main_path": z.main_path,
                "level_low": z.level_low,
                "level_high": z.level_high,
            }
            for z in world.zones.values()
        ]
    )
    tier = zones.set_index("name")["tier"]
    enemies = pd.DataFrame(
        [
            {"name": e.name, "zone": e.zone, "class": e.enemy_class, "runes": e.runes}
            for e in world.enemies
        ]
    )
    enemies["tier"] = enemies["zone"].map(tier)
    bosses = pd.DataFrame(
        [
            {
                "name": b.name,
                "zone": b.zone,
                "region": b.region,
                "runes": b.runes,
                "ng_plus_runes": b.ng_plus_runes,
            }
            for b in world.bosses.values()
        ]
    )
    bosses["tier"] = bosses["zone"].map(tier)
    kinds = pd.read_csv(DATA / "enemy_kinds.csv", keep_default_na=False)
    places = pd.read_csv(DATA / "invasion_places.csv", keep_default_na=False)
    return GameTables(enemies, bosses, zones, kinds, tuple(places["zone"]))


def json_safe(x: object) -> object:
    """``x`` with numpy scalars made Python values and non-finite floats made None."""
    if isinstance(x, dict):
        return {str(k): json_safe(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [json_safe(v) for v in x]
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def base_name(name: str) -> str:
    """An enemy's name without the location in brackets: the same enemy across areas."""
    return re.sub(r" \(.*\)$", "", name)


def pivot(frame: pd.DataFrame, keys: list[str], value: str, reps: np.ndarray) -> pd.DataFrame:
    """Replications (rows, in ``reps`` order) by cells (columns): the sum of ``value``."""
    if not len(frame):
        return pd.DataFrame(index=reps)
    ok, slot, cells, columns = _cells(frame, keys, np.asarray(reps))
    sums = np.bincount(
        slot, weights=frame[value].to_numpy(float)[ok], minlength=len(reps) * cells
    ).reshape(len(reps), cells)
    return pd.DataFrame(sums, index=pd.Index(reps, name="replication"), columns=columns)


_DENSE_CELLS = 1 << 24  # cells up to which the observed ones are found by counting, not sorting

# the cells of the last frames pivoted (several values of one frame are pivoted in a row), by the
# frame while it lives: (frame, keys, replications, cells)
_CELLS: list[tuple[weakref.ref[pd.DataFrame], tuple[str, ...], np.ndarray, tuple]] = []


def _cells(
    frame: pd.DataFrame, keys: list[str], reps: np.ndarray
) -> tuple[np.ndarray, np.ndarray, int, pd.Index]:
    """The rows kept, each one's slot in the (replication, cell) matrix, the number of cells and
    their labels."""
    for ref, names, r, found in _CELLS:
        if ref() is frame and names == tuple(keys) and np.array_equal(r, reps):
            return found
    # codes per key (sorted values; a missing key leaves the row out, as grouping does), the
    # observed cells in sorted order, and one weighted count per (replication, cell)
    codes, values = [], []
    for k in keys:
        c, u = pd.factorize(frame[k], sort=True)
        codes.append(c)
        values.append(u)
    row = _rows(reps, frame["replication"].to_numpy())
    ok = (row >= 0) & np.all([c >= 0 for c in codes], axis=0)
    shape = [max(len(u), 1) for u in values]
    cell = np.ravel_multi_index([c[ok] for c in codes], shape)
    if math.prod(shape) <= _DENSE_CELLS:
        seen = np.bincount(cell, minlength=math.prod(shape)) > 0
        present = np.flatnonzero(seen)  # np.unique(cell), and each cell's rank among them
        col = (np.cumsum(seen) - 1)[cell]
    else:
        present, col = np.unique(cell, return_inverse=True)
    which = np.unravel_index(present, shape)
    labels = [u[w] for u, w in zip(values, which, strict=True)]
    columns = (
        pd.Index(labels[0], name=keys[0])
        if len(keys) == 1
        else pd.MultiIndex.from_arrays(labels, names=keys)
    )
    found = (ok, row[ok] * present.size + col, int(present.size), columns)
    _CELLS[:] = [e for e in _CELLS[-3:] if e[0]() is not None]
    _CELLS.append((weakref.ref(frame), tuple(keys), reps.copy(), found))
    return found


def _rows(reps: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Where each id is among ``reps`` (-1 where it is not): ``pd.Index.get_indexer``."""
    if reps.size and ids.size and np.all(reps[1:] > reps[:-1]):  # ascending and unique
        at = np.minimum(np.searchsorted(reps, ids), reps.size - 1)
        return np.where(reps[at] == ids, at, -1)
    return pd.Index(reps).get_indexer(ids)


class Boot:
    """Bootstrap over playthroughs: row 0 is the sample itself, rows 1..B resample replications."""

    def __init__(self, n: int, resamples: int, seed: int, label: int):
        self.n = n
        self.weights = _boot_weights(int(n), int(resamples), int(seed), int(label))

    def sums(self, matrix: pd.DataFrame | np.ndarray) -> np.ndarray:
        """(1 + B) x cells: the sum of each cell over the (resampled) replications."""
        return self.weights @ np.asarray(matrix, float)

    @staticmethod
    def interval(stat: np.ndarray) -> tuple[float, list]:
        """The point (row 0) and the 95% percentile interval of the resampled rows."""
        stat = np.asarray(stat, float)
        point = float(stat[0])
        rest = stat[1:][np.isfinite(stat[1:])]
        if not np.isfinite(point) or rest.size < 10:
            return point, [None, None]
        lo, hi = np.percentile(rest, [2.5, 97.5])
        return point, [float(lo), float(hi)]


@lru_cache(maxsize=1)
def _boot_weights(n: int, resamples: int, seed: int, label: int) -> np.ndarray:
    """Row 0 ones, then how often each replication is drawn in each resample (n draws with
    replacement); kept for the next run of the same size and claim (read-only)."""
    rng = np.random.default_rng([seed, 14, label])
    weights = np.empty((resamples + 1, n))
    weights[0] = 1.0
    weights[1:] = Counts(n, rng, resamples).counts if n else 0.0
    weights.flags.writeable = False
    return weights


def spearman_rows(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Spearman correlation of ``x`` (cells) with each row of ``y`` (rows x cells), NaN cells left
    out."""
    from scipy.stats import rankdata

    y = np.atleast_2d(np.asarray(y, float))
    x = np.asarray(x, float)
    out = np.full(y.shape[0], np.nan)
    masks = np.isfinite(y)
    patterns, which = np.unique(masks, axis=0, return_inverse=True)
    for p, mask in enumerate(patterns):
        rows = np.flatnonzero(which.ravel() == p)
        if mask.sum() < 3:
            continue
        a = rankdata(x[mask])
        b = rankdata(y[np.ix_(rows, np.flatnonzero(mask))], axis=1)
        a, b = a - a.mean(), b - b.mean(axis=1, keepdims=True)
        den = np.sqrt((a**2).sum() * (b**2).sum(axis=1))
        with np.errstate(divide="ignore", invalid="ignore"):
            out[rows] = np.where(den > 0, (b @ a) / den, np.nan)
    return out


def trend_ratio(
    values: np.ndarray, weights: np.ndarray, tiers: np.ndarray, ref: np.ndarray, target: np.ndarray
) -> np.ndarray:
    """Tier-adjusted ratio of target cells to reference cells, per row.

    For each row, log(value) of the reference cells is fitted on tier (least squares weighted
    by ``weights``); the result is exp of the weighted mean of log(value / fitted) over the
    target cells: how many times the trend of the reference at the target's own tier.
    Cells with a non-positive value or weight are left out.
    """
    v = np.asarray(values, float)
    w = np.asarray(weights, float)
    t = np.asarray(tiers, float)[None, :]
    ok = (v > 0) & (w > 0) & np.isfinite(v)
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.where(ok, np.log(np.where(ok, v, 1.0)), 0.0)
    wr = np.where(ok & np.asarray(ref, bool)[None, :], w, 0.0)
    wt = np.where(ok & np.asarray(target, bool)[None, :], w, 0.0)
    s0, s1, s2 = wr.sum(1), (wr * t).sum(1), (wr * t * t).sum(1)
    sy, sty = (wr * y).sum(1), (wr * t * y).sum(1)
    det = s0 * s2 - s1 * s1
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = (s0 * sty - s1 * sy) / det
        icpt = (sy - slope * s1) / s0
        resid = (wt * (y - icpt[:, None] - slope[:, None] * t)).sum(1) / wt.sum(1)
    enough = (
        ((wr > 0).sum(1) >= 2)
        & (wt.sum(1) > 0)
        & (np.abs(det) > 1e-9 * np.maximum(s0 * s2, 1e-300))
    )
    return np.where(enough, np.exp(resid), np.nan)
