"""Random streams of one replication: one Generator per purpose, from the seed and the index.

Replication ``index`` of a batch seeded with ``seed`` always gets the same streams,
whatever the batch size, the worker or the strategy: that is what makes runs
reproducible across ``--jobs`` and comparisons paired (common random numbers).
"""

from __future__ import annotations

import numpy as np

__all__ = ["PURPOSES", "Streams", "streams", "seed_sequence", "Uniforms", "Gammas"]

# Fixed order: adding a purpose at the end keeps every earlier stream unchanged.
PURPOSES = (
    "skill",  # the player's skill draw
    "combat",  # kill times
    "death",  # encounter deaths
    "boss",  # boss attempt lengths and outcomes
    "loot",  # reserved for loot variation
    "invasion",  # invader arrivals
    "duel",  # duel lengths and outcomes
    "runback",  # run-back times and deaths
    "route",  # the strategy's choices (optional content)
    "quest",  # questline invasions
    "traits",  # the player's traits other than skill (appetite, tolerance, spending, care, help)
    "quit",  # the quitting hazard
    "field",  # deaths away from fights: falls and status effects
)


def seed_sequence(seed: int, index: int) -> np.random.SeedSequence:
    """The SeedSequence of replication ``index``: child ``index`` of ``SeedSequence(seed)``."""
    return np.random.SeedSequence(entropy=seed, spawn_key=(index,))


class Uniforms:
    """Uniform(0, 1) draws served from blocks: one numpy call per block, not per draw."""

    __slots__ = ("_rng", "_block", "_buf", "_i")

    def __init__(self, rng: np.random.Generator, block: int = 512) -> None:
        self._rng = rng
        self._block = block
        self._buf: list[float] = []
        self._i = 0

    def __call__(self) -> float:
        if self._i >= len(self._buf):
            self._buf = self._rng.random(self._block).tolist()
            self._i = 0
        u = self._buf[self._i]
        self._i += 1
        return u

    # drawing in a loop without a call per draw: ``buf, i = u.pending()``, then for each draw
    # ``if i >= len(buf): buf, i = u.refill(), 0`` and ``x = buf[i]; i += 1`` (or, at most k
    # draws: ``buf, i = u.ahead(k)`` and no check); at the end ``u.resume(i)``; the same draws
    # in the same order as calling ``u()`` each time (a stream is drawn by its Uniforms only)
    def pending(self) -> tuple[list[float], int]:
        """The block being served and the index of its next draw."""
        return self._buf, self._i

    def ahead(self, k: int) -> tuple[list[float], int]:
        """``pending()`` with at least ``k`` draws left in the block: the draws left are joined
        by as many new blocks as it takes (the same draws, in the same order, as ``refill``
        would give them later)."""
        buf, i = self._buf, self._i
        if len(buf) - i < k:
            buf, i = buf[i:], 0
            while len(buf) < k:
                buf += self._rng.random(self._block).tolist()
            self._buf, self._i = buf, i
        return buf, i

    def refill(self) -> list[float]:
        """A new block (the current one is used up); its first draw is next."""
        self._buf = self._rng.random(self._block).tolist()
        self._i = 0
        return self._buf

    def resume(self, i: int) -> None:
        """The draws of the current block before index ``i`` have been taken."""
        self._i = i


class Gammas:
    """Standard gamma draws of one shape served from blocks: one numpy call per block.

    ``Generator.gamma(shape, scale)`` is ``scale * standard_gamma(shape)``, and a block of
    ``standard_gamma(shape, size)`` is the draws one call at a time would give; so, for a
    stream that only this buffer draws from, ``take``/``one`` give the same values in the
    same order as drawing them when needed.
    """

    __slots__ = ("_rng", "shape", "_block", "_buf", "_i")

    def __init__(self, rng: np.random.Generator, shape: float, block: int = 256) -> None:
        self._rng = rng
        self.shape = shape
        self._block = block
        self._buf: list[float] = []
        self._i = 0

    def take(self, k: int) -> list[float]:
        """The next ``k`` draws."""
        buf, i = self._buf, self._i
        if len(buf) - i < k:
            buf, i = buf[i:], 0
            while len(buf) < k:
                buf += self._rng.standard_gamma(self.shape, self._block).tolist()
            self._buf = buf
        self._i = i + k
        return buf[i : i + k]

    def one(self) -> float:
        """The next draw."""
        if self._i >= len(self._buf):
            self._buf = self._rng.standard_gamma(self.shape, self._block).tolist()
            self._i = 0
        g = self._buf[self._i]
        self._i += 1
        return g


class Streams:
    """One Generator per purpose (see PURPOSES), each built when first used.

    Stream ``k`` of replication ``index`` is child ``k`` of ``seed_sequence(seed, index)``
    (``SeedSequence(seed, spawn_key=(index, k))``), built or not: a replication pays only
    for the streams it draws from.
    """

    skill: np.random.Generator
    combat: np.random.Generator
    death: np.random.Generator
    boss: np.random.Generator
    loot: np.random.Generator
    invasion: np.random.Generator
    duel: np.random.Generator
    runback: np.random.Generator
    route: np.random.Generator
    quest: np.random.Generator
    traits: np.random.Generator
    quit: np.random.Generator
    field: np.random.Generator

    def __init__(self, seed: int, index: int) -> None:
        self._key = (seed, index)

    def __getattr__(self, name: str) -> np.random.Generator:
        try:
            k = _PURPOSE_INDEX[name]
        except KeyError:
            raise AttributeError(name) from None
        seed, index = self._key
        ss = np.random.SeedSequence(entropy=seed, spawn_key=(index, k))
        gen = np.random.Generator(np.random.PCG64(ss))
        setattr(self, name, gen)
        return gen


_PURPOSE_INDEX = {name: k for k, name in enumerate(PURPOSES)}


def streams(seed: int, index: int) -> Streams:
    """The streams of replication ``index``."""
    return Streams(seed, index)
