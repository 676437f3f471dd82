"""The replication's random streams: NumPy's seeding, built lazily, and the block buffers."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model.rng import PURPOSES, Gammas, Uniforms, generate_state, seed_sequence, streams

SEEDS = st.integers(min_value=0, max_value=2**63 - 1) | st.sampled_from([0, 1, 2**32, 20220225])
KEYS = st.lists(st.integers(min_value=0, max_value=2**40), min_size=1, max_size=3).map(tuple)


@settings(max_examples=300, deadline=None)
@given(seed=SEEDS, key=KEYS)
def test_seeding_is_numpys_seed_sequence(seed: int, key: tuple[int, ...]) -> None:
    """The state a stream is seeded with is SeedSequence(seed, spawn_key=key)'s, word for word."""
    want = np.random.SeedSequence(seed, spawn_key=key).generate_state(4, np.uint64)
    assert generate_state(seed, key, 4).tolist() == want.tolist()


def test_seeding_beyond_the_pool_matches_numpy() -> None:
    """An entropy of more than four 32-bit words takes SeedSequence's other mixing branch."""
    seed = 2**200 + 12345
    want = np.random.SeedSequence(seed, spawn_key=(7, 2)).generate_state(4, np.uint64)
    assert generate_state(seed, (7, 2), 4).tolist() == want.tolist()


@settings(max_examples=20, deadline=None)
@given(seed=SEEDS, index=st.integers(min_value=0, max_value=10**6))
def test_each_stream_is_the_spawned_child(seed: int, index: int) -> None:
    """Stream k of replication ``index`` draws as child k of ``seed_sequence(seed, index)``."""
    got = streams(seed, index)
    children = seed_sequence(seed, index).spawn(len(PURPOSES))
    for name, child in zip(PURPOSES, children, strict=True):
        want = np.random.Generator(np.random.PCG64(child)).random(3)
        assert getattr(got, name).random(3).tolist() == want.tolist(), name


def test_a_stream_is_built_once_and_kept() -> None:
    s = streams(5, 2)
    assert s.combat is s.combat
    assert "boss" not in vars(s)  # not drawn from: not built


def test_gammas_give_the_draws_in_order_across_blocks() -> None:
    """Blocks of standard gammas give the draws one ``standard_gamma`` call at a time would."""
    want = np.random.default_rng(3).standard_gamma(2.5, 40).tolist()
    g = Gammas(np.random.default_rng(3), 2.5, block=7)
    got = g.take(3) + [g.one()] + g.take(20) + [g.one() for _ in range(16)]
    assert got == want


def test_uniforms_give_the_draws_in_order_across_blocks() -> None:
    want = np.random.default_rng(4).random(30).tolist()
    u = Uniforms(np.random.default_rng(4), block=8)
    assert [u() for _ in range(30)] == want
