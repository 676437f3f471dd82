"""Plots of sensitivity and uncertainty runs; with ``sim.plots`` and ``sim.experiments.plots``
the only modules that import matplotlib."""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["indices_bars", "variance_split", "data_uri"]


def _axes(width: float, height: float) -> Axes:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height))
    return ax


def indices_bars(parameters: list[dict[str, Any]], title: str = "") -> Axes:
    """Inputs ranked by total index: S1 and ST bars with their 95% intervals (mu* for Morris)."""
    sobol = any(p.get("ST") is not None for p in parameters)
    params = sorted(parameters, key=lambda p: (p.get("ST") if sobol else p.get("mu_star")) or 0.0)
    ax = _axes(7.0, 0.45 * len(params) + 1.2)
    y = list(range(len(params)))
    keys = (
        (("S1", "first order S1", -0.2), ("ST", "total ST", 0.2))
        if sobol
        else (("mu_star", "mu*", 0.0),)
    )
    for key, label, shift in keys:
        vals = [p.get(key) or 0.0 for p in params]
        lo = [
            v - ((p.get(key + "_ci95") or [v, v])[0] or v)
            for v, p in zip(vals, params, strict=True)
        ]
        hi = [
            ((p.get(key + "_ci95") or [v, v])[1] or v) - v
            for v, p in zip(vals, params, strict=True)
        ]
        ax.barh(
            [i + shift for i in y],
            vals,
            height=0.38 if sobol else 0.6,
            label=label,
            xerr=[lo, hi],
            capsize=2,
        )
    ax.set_yticks(y, [p["name"] for p in params])
    ax.axvline(0, color="#888", lw=0.8)
    ax.set_xlabel(
        "Sobol index (share of the output's variance)" if sobol else "mean |elementary effect|"
    )
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(title, fontsize=10)
    return ax


def variance_split(rows: list[tuple[str, float, float]], title: str = "") -> Axes:
    """Stacked bars of standard deviation components: (label, luck sd, inputs sd)."""
    ax = _axes(7.0, 0.45 * len(rows) + 1.2)
    y = list(range(len(rows)))
    luck = [r[1] ** 2 for r in rows]
    inputs = [r[2] ** 2 for r in rows]
    total = [a + b or 1.0 for a, b in zip(luck, inputs, strict=True)]
    ax.barh(y, [a / t for a, t in zip(luck, total, strict=True)], label="luck", color="#6b8fc7")
    ax.barh(
        y,
        [b / t for b, t in zip(inputs, total, strict=True)],
        left=[a / t for a, t in zip(luck, total, strict=True)],
        label="unknown inputs",
        color="#e0913a",
    )
    ax.set_yticks(y, [r[0] for r in rows])
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the variance")
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(title, fontsize=10)
    return ax


def data_uri(ax: Axes) -> str:
    """The axes' figure as an embedded PNG (``data:`` URI), closing the figure."""
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    fig = ax.figure
    assert isinstance(fig, Figure)  # the axes of _axes: a whole figure, not a sub-figure
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=90)
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
