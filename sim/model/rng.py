"""Random streams of one replication: one Generator per purpose, from the seed and the index.

Replication ``index`` of a batch seeded with ``seed`` always gets the same streams,
whatever the batch size, the worker or the strategy: that is what makes runs
reproducible across ``--jobs`` and comparisons paired (common random numbers).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

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
        seeded: Any = _Seeded(seed, (index, k))  # an ISeedSequence, as PCG64 accepts
        gen = np.random.Generator(np.random.PCG64(seeded))
        setattr(self, name, gen)
        return gen


_PURPOSE_INDEX = {name: k for k, name in enumerate(PURPOSES)}

# NumPy's SeedSequence, on Python integers: the same pool and the same generated state as
# ``np.random.SeedSequence(entropy, spawn_key=key)`` (tests/test_rng.py checks it against
# NumPy), without the cost of NumPy arrays for a few words (a replication seeds ~10 streams)
_MASK32 = 0xFFFFFFFF
_INIT_A, _MULT_A = 0x43B0D7E5, 0x931E8875
_INIT_B, _MULT_B = 0x8B51F9DD, 0x58F38DED
_MIX_MULT_L, _MIX_MULT_R = 0xCA01F9DD, 0x4973F715
_POOL_SIZE = 4


def _words(value: int) -> list[int]:
    """A non-negative integer as 32-bit words, least significant first (0: one word)."""
    words = [value & _MASK32]
    value >>= 32
    while value:
        words.append(value & _MASK32)
        value >>= 32
    return words


@lru_cache(maxsize=64)
def _run_pool(entropy: int) -> tuple[tuple[int, ...], int]:
    """SeedSequence's pool after mixing in the run entropy (the seed), with a spawn key to
    follow, and the hash constant there: the part every stream of a batch shares."""
    data = _words(entropy)
    data += [0] * (_POOL_SIZE - len(data))
    h = _INIT_A
    mixer = []
    for v in data[:_POOL_SIZE]:
        v ^= h
        h = (h * _MULT_A) & _MASK32
        v = (v * h) & _MASK32
        mixer.append(v ^ (v >> 16))
    pairs = [(s, d) for s in range(_POOL_SIZE) for d in range(_POOL_SIZE) if s != d]
    pairs += [(s, d) for s in range(_POOL_SIZE, len(data)) for d in range(_POOL_SIZE)]
    for i_src, i_dst in pairs:
        v = (mixer[i_src] if i_src < _POOL_SIZE else data[i_src]) ^ h
        h = (h * _MULT_A) & _MASK32
        v = (v * h) & _MASK32
        r = (_MIX_MULT_L * mixer[i_dst] - _MIX_MULT_R * (v ^ (v >> 16))) & _MASK32
        mixer[i_dst] = r ^ (r >> 16)
    return tuple(mixer), h


def _mix_in(mixer: list[int], h: int, words: list[int]) -> tuple[list[int], int]:
    """Mix entropy words beyond the pool's size into the pool (and the hash constant on)."""
    for w in words:
        for i_dst in range(_POOL_SIZE):
            v = w ^ h
            h = (h * _MULT_A) & _MASK32
            v = (v * h) & _MASK32
            r = (_MIX_MULT_L * mixer[i_dst] - _MIX_MULT_R * (v ^ (v >> 16))) & _MASK32
            mixer[i_dst] = r ^ (r >> 16)
    return mixer, h


@lru_cache(maxsize=64)
def _keyed_pool(entropy: int, spawn_key: tuple[int, ...]) -> tuple[tuple[int, ...], int]:
    """The pool after ``entropy`` and ``spawn_key`` (and the hash constant there); a prefix of
    the key is kept, so the streams of one replication share the mixing of its index."""
    if not spawn_key:
        return _run_pool(entropy)
    shared, h = _keyed_pool(entropy, spawn_key[:-1])
    mixer, h = _mix_in(list(shared), h, _words(spawn_key[-1]))
    return tuple(mixer), h


def _pool(entropy: int, spawn_key: tuple[int, ...]) -> list[int]:
    """SeedSequence's entropy pool (``SeedSequence.pool``) for a non-empty spawn key."""
    shared, h = _keyed_pool(entropy, spawn_key[:-1])
    return _mix_in(list(shared), h, _words(spawn_key[-1]))[0]


@lru_cache(maxsize=8)
def _state_hashes(n: int) -> tuple[int, ...]:
    """The hash constant after each of the ``n`` steps of ``generate_state``."""
    h, out = _INIT_B, []
    for _ in range(n):
        out.append((h, (h * _MULT_B) & _MASK32))
        h = out[-1][1]
    return tuple(v for pair in out for v in pair)


def generate_state(entropy: int, spawn_key: tuple[int, ...], n_words: int) -> np.ndarray:
    """``SeedSequence(entropy, spawn_key=spawn_key).generate_state(n_words, np.uint64)``."""
    pool = _pool(entropy, spawn_key)
    hs = _state_hashes(2 * n_words)
    out = []
    for i in range(2 * n_words):
        v = ((pool[i % _POOL_SIZE] ^ hs[2 * i]) * hs[2 * i + 1]) & _MASK32
        out.append(v ^ (v >> 16))
    # pairs of 32-bit words, low word first, as one 64-bit word each (a little-endian view)
    return np.array([out[2 * i] | (out[2 * i + 1] << 32) for i in range(n_words)], np.uint64)


class _Seeded(np.random.bit_generator.ISeedSequence):
    """A seed sequence that hands a bit generator SeedSequence's state for (entropy, key)."""

    def __init__(self, entropy: int, spawn_key: tuple[int, ...]) -> None:
        self.entropy = entropy
        self.spawn_key = spawn_key

    def generate_state(self, n_words: int, dtype: Any = np.uint32) -> np.ndarray:
        if np.dtype(dtype) != np.uint64:
            return np.random.SeedSequence(self.entropy, spawn_key=self.spawn_key).generate_state(
                n_words, dtype
            )
        return generate_state(self.entropy, self.spawn_key, n_words)


def streams(seed: int, index: int) -> Streams:
    """The streams of replication ``index``."""
    return Streams(seed, index)
