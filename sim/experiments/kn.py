"""The Kim–Nelson fully sequential procedure (KN) for selecting the best of k systems.

Kim, S.-H. and Nelson, B. L. (2001), "A fully sequential procedure for
indifference-zone selection in simulation", ACM TOMACS 11(3), 251–273.
With common random numbers replication ``r`` of every system shares its random
streams, and KN works on the **paired** differences, whose variance is small when
the systems share most of their luck.

1. First stage: ``n0`` replications of every system; ``S2[i, l]`` is the sample
   variance of ``X_i - X_l`` over them.
2. ``eta = ((2 alpha / (k - 1)) ** (-2 / (n0 - 1)) - 1) / 2`` and ``h2 = 2 eta (n0 - 1)``
   (c = 1).
3. At each stage ``r`` a surviving system ``i`` is culled when some survivor ``l`` has
   ``mean_i(r) < mean_l(r) - W_il(r)`` (bigger is better here), with
   ``W_il(r) = max(0, delta / (2 r) * (h2 * S2[i, l] / delta**2 - r))``.
4. Stop when one system is left; it is the best or within ``delta`` of the best
   with probability at least ``1 - alpha`` (if the differences are normal).

Replications are asked for in blocks (one call of the sampler per block), but the
culling rule is applied at every ``r`` inside the block, so the decisions are those
of the fully sequential procedure; a system culled inside a block has received the
rest of that block too. Two extra stops: when ``W`` is zero for every pair of
survivors their means are equal (systems identical on every replication: they are
tied), and at ``max_n`` (the guarantee then does not hold for the survivors, which
are reported as not separated).

**Twins.** Two systems whose first-stage values are identical on every replication
(``S2 = 0`` and equal means: routes that share their path up to the metric) can never be
told apart by the rule, whose ``W`` is zero for them, so the later one is not sampled
again: it follows its twin (kept if the twin is kept, culled when the twin is culled) and
is reported tied with it. That saves running the same playthroughs twice while the others
are being separated.

The procedure takes a ``sampler(systems, start, stop) -> array (len(systems), stop - start)``,
so it runs on simulated routes or on synthetic numbers in tests.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = ["KNResult", "kim_nelson", "kn_h2"]

Sampler = Callable[[Sequence[int], int, int], np.ndarray]


def kn_h2(k: int, n0: int, alpha: float) -> float:
    """KN's ``h^2`` for ``k`` systems, first-stage size ``n0`` and error ``alpha`` (c = 1)."""
    if k < 2:
        return 0.0
    eta = 0.5 * ((2.0 * alpha / (k - 1)) ** (-2.0 / (n0 - 1)) - 1.0)
    return 2.0 * eta * (n0 - 1)


@dataclass
class KNResult:
    """What the procedure did: values seen, replications received, who was culled when."""

    values: list[np.ndarray]  # per system, one value per replication received (original sign)
    culled_at: list[int | None]  # the stage r at which each system was culled (None: survived)
    survivors: list[int]
    best: int
    stop: str  # "one left" | "tied" | "max_n"
    stages: int  # the last stage r looked at
    h2: float
    s2: np.ndarray = field(repr=False)
    twins: dict[int, int] = field(default_factory=dict)  # system -> the twin it follows

    @property
    def replications(self) -> list[int]:
        return [len(v) for v in self.values]

    def order(self, lower_is_better: bool) -> list[int]:
        """Systems best first, then by their paired mean difference from the best (over the
        replications both received), kept or culled alike."""
        sign = -1.0 if lower_is_better else 1.0
        best = self.values[self.best]

        def gap(i: int) -> float:
            n = min(len(self.values[i]), len(best))
            return sign * float(np.mean(self.values[i][:n] - best[:n]))

        rest = sorted(
            (i for i in range(len(self.values)) if i != self.best), key=lambda i: (-gap(i), i)
        )
        return [self.best, *rest]


def kim_nelson(
    sampler: Sampler,
    k: int,
    *,
    delta: float,
    alpha: float = 0.05,
    n0: int = 10,
    block: int = 10,
    max_n: int = 1000,
    lower_is_better: bool = True,
) -> KNResult:
    """Select the best of ``k`` systems within ``delta`` with probability at least ``1 - alpha``."""
    if k < 1:
        raise ValueError("at least one system")
    if n0 < 2 or max_n < n0 or block < 1 or delta <= 0 or not 0 < alpha < 1:
        raise ValueError("need n0 >= 2, max_n >= n0, block >= 1, delta > 0, 0 < alpha < 1")
    sign = -1.0 if lower_is_better else 1.0
    data = np.full((k, max_n), np.nan)
    received = np.zeros(k, dtype=int)

    def take(systems: list[int], start: int, stop: int) -> None:
        block_values = np.asarray(sampler(systems, start, stop), dtype=float)
        if block_values.shape != (len(systems), stop - start):
            raise ValueError(f"sampler returned shape {block_values.shape}")
        data[systems, start:stop] = block_values
        received[systems] = stop

    everyone = list(range(k))
    take(everyone, 0, n0)
    y = sign * data  # bigger is better from here on
    first = y[:, :n0]
    s2 = np.zeros((k, k))
    for i in range(k):
        for j in range(i + 1, k):
            s2[i, j] = s2[j, i] = float(np.var(first[i] - first[j], ddof=1))
    h2 = kn_h2(k, n0, alpha)
    twins: dict[int, int] = {}
    for j in range(k):
        for i in range(j):
            if i not in twins and s2[i, j] == 0.0 and np.array_equal(first[i], first[j]):
                twins[j] = i
                break
    alive = [i for i in everyone if i not in twins]
    culled: list[int | None] = [None] * k
    sums = np.nansum(first, axis=1)
    r, stop_reason = n0, "max_n"

    def cull(r: int) -> bool:
        """Apply the rule at stage r; True if W is zero for every pair of survivors."""
        means = sums / r
        out, all_zero = [], True
        for i in alive:
            for j in alive:
                if i == j:
                    continue
                w = max(0.0, delta / (2.0 * r) * (h2 * s2[i, j] / delta**2 - r))
                all_zero &= w == 0.0
                if means[i] < means[j] - w:
                    out.append(i)
                    break
        for i in out:
            alive.remove(i)
            culled[i] = r
        return all_zero

    while True:
        tied = cull(r)
        if len(alive) == 1:
            stop_reason = "one left"
            break
        if tied:
            stop_reason = "tied"
            break
        if r >= max_n:
            break
        if r >= received[alive[0]]:
            take(list(alive), r, min(r + block, max_n))
            y = sign * data
        r += 1
        sums[alive] += y[alive, r - 1]
    values = [data[i, : received[i]].copy() for i in range(k)]
    best = max(alive, key=lambda i: (sums[i] / r, -i))
    for j, i in twins.items():
        culled[j] = culled[i]
    survivors = sorted(i for i in everyone if culled[i] is None)
    if stop_reason == "one left" and len(survivors) > 1:
        stop_reason = "tied"  # the one left and its twins
    return KNResult(values, culled, survivors, best, stop_reason, r, h2, s2, twins)
