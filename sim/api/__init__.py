"""The notebook API: load a scenario, run it, compare runs, plot — each a single call.

>>> from sim import api
>>> nat = api.load_scenario(api.scenario_path("natural"), horizon_hours=60)
>>> run = api.run(nat, n=20, seed=1)
>>> api.progression(run.trajectories)
>>> cmp = api.compare(nat, api.load_scenario(api.scenario_path("rush_mohgwyn")), n=20)
>>> cmp.table()

Runs go to a fresh temporary directory, removed when Python exits, unless ``out``
is given; frames are read from the stored run on first use. Notebooks import this
module only: everything they need is named here.
"""

from sim.analysis.for_whom import for_whom_frame, for_whom_line
from sim.analysis.paired import paired_trajectory_difference
from sim.analysis.survival import survival_table
from sim.api.how_sure import (
    compare_sampled,
    indices_bars,
    run_sensitivity,
    sensitivity_plan,
    uncertain_inputs,
    uncertainty_table,
)
from sim.api.routes import (
    against,
    convergence,
    optimize,
    optimize_trials,
    rank,
    ranking,
    ranking_intervals,
)
from sim.api.runs import (
    Run,
    claims,
    claims_parts,
    claims_table,
    compare,
    comparison_table,
    load_scenario,
    run,
    scenario_path,
    summary_table,
)
from sim.experiments.comparison import ComparisonResult
from sim.plots import (
    deaths_and_losses,
    distribution,
    for_whom,
    income_by_source,
    paired_difference,
    progression,
    runes_per_kill,
    survival,
)

__all__ = [
    "Run",
    "ComparisonResult",
    "scenario_path",
    "load_scenario",
    "run",
    "compare",
    "progression",
    "paired_difference",
    "survival",
    "income_by_source",
    "deaths_and_losses",
    "runes_per_kill",
    "distribution",
    "for_whom",
    "summary_table",
    "comparison_table",
    "survival_table",
    "paired_trajectory_difference",
    "for_whom_frame",
    "for_whom_line",
    "claims",
    "claims_table",
    "claims_parts",
    "rank",
    "ranking",
    "ranking_intervals",
    "optimize",
    "optimize_trials",
    "against",
    "convergence",
    "uncertain_inputs",
    "compare_sampled",
    "uncertainty_table",
    "sensitivity_plan",
    "run_sensitivity",
    "indices_bars",
]
