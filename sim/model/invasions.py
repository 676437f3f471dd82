"""Invaders: a Poisson process that interrupts whatever the exposed player is doing."""

from __future__ import annotations

from sim.model.combat import sigmoid
from sim.model.playthrough import Died, Playthrough, Proc
from sim.model.pvp import place_weight, top_place_weight, win_runes

__all__ = ["invasion_rate", "invaders", "duel"]


def invasion_rate(pt: Playthrough) -> float:
    """Invaders per exposed hour for the scenario's exposure."""
    return pt.scenario.invasions.per_hour


def invaders(pt: Playthrough) -> Proc:
    """Send invaders at the exposure's rate; those arriving while the player is not exposed
    (outside invasion-prone zones, in a boss arena, already dueling) find no world to invade.
    Thinning a Poisson process this way leaves a Poisson process in exposed time."""
    rate = invasion_rate(pt)
    if rate <= 0:
        return
    rng = pt.rng.invasion
    env = pt.env
    top = top_place_weight(pt)  # hot spots: draw at the top rate, keep by the place's weight
    while True:
        yield env.timeout(rng.exponential(1.0 / (rate * top)))
        main = pt.clock.process
        keep = main is not None and main.is_alive and pt.exposed
        if keep and main is not None and (top == 1.0 or rng.random() * top < place_weight(pt)):
            main.interrupt("invader")


def duel(pt: Playthrough) -> Proc:
    """Fight the invader. A win may pay runes; a loss is a death (raises ``Died``)."""
    inv = pt.scenario.invasions
    p = pt.player
    rng = pt.rng.duel
    p.invasions += 1
    pt.ledger.add_invasion(p.zone, p.activity)
    hours = rng.gamma(inv.duel_shape, inv.duel_minutes / inv.duel_shape) / 60.0
    pt.log("invasion", p.activity, hours)
    clock = pt.clock
    clock.end_exposure()
    clock.in_duel = True
    try:
        yield pt.env.timeout(hours)
    finally:
        clock.in_duel = False
    sk = pt.scenario.player.skill
    invader_skill = inv.invader_skill_mean + (
        rng.normal(0.0, sk.sd) if sk.distribution == "normal" else 0.0
    )
    won = rng.random() < sigmoid(
        inv.duel_win_intercept + inv.duel_win_skill * (p.skill - invader_skill)
    )
    clock.start_exposure(pt.exposed)
    if won:
        p.invasions_won += 1
        runes = win_runes(pt)
        if runes > 0:
            pt.ledger.earn(runes, "invasion", "invader", p.zone, p.activity)
        pt.log("duel_won", "", float(runes))
        return
    pt.log("duel_lost")
    pt.die("pvp")
    raise Died
