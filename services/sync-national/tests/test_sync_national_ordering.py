"""Per dossier the portal never sees a change before an earlier one (domain/ordering.py)."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from dvc_sync_national.domain.ordering import plan


@dataclass(frozen=True)
class C:
    sequence: int
    status: int
    previous_status: int | None


LIFE = [C(1, 1, None), C(3, 2, 1), C(4, 4, 2), C(6, 5, 4), C(8, 4, 5), C(9, 9, 4), C(12, 10, 9)]


def test_in_order_changes_all_go() -> None:
    decided = plan(None, 0, LIFE)
    assert decided.send == LIFE and not decided.waiting and not decided.stale


def test_a_missing_earlier_change_holds_back_everything_after_it() -> None:
    decided = plan(2, 3, [LIFE[3], LIFE[4]])  # 4→5 and 5→4 arrived, 2→4 did not
    assert decided.send == [] and decided.waiting == [LIFE[3], LIFE[4]] and decided.blocked


def test_a_late_redelivery_is_stale_and_never_sent() -> None:
    decided = plan(9, 9, [LIFE[2], LIFE[6]])
    assert decided.stale == [LIFE[2]] and decided.send == [LIFE[6]]


def test_the_limit_splits_a_long_backlog_over_rounds() -> None:
    first = plan(None, 0, LIFE, limit=3)
    assert first.send == LIFE[:3] and not first.blocked
    second = plan(4, 4, LIFE[3:], limit=3)
    assert second.send == LIFE[3:6]


def test_force_accepts_a_broken_chain_once() -> None:
    decided = plan(2, 3, [LIFE[3], LIFE[4]], force=True)
    assert decided.send == [LIFE[3], LIFE[4]]


def drain(life: list[C], rnd: random.Random, batch: int) -> list[C]:
    """Deliver `life` shuffled, `batch` events at a time, planning after each delivery."""
    arrived: list[C] = []
    pending = life[:]
    rnd.shuffle(pending)
    sent: list[C] = []
    status, sequence = None, 0
    while pending or arrived:
        arrived.extend(pending[:batch])
        pending = pending[batch:]
        decided = plan(status, sequence, arrived)
        for change in decided.send:
            sent.append(change)
            status, sequence = change.status, change.sequence
        arrived = [c for c in arrived if c not in decided.send and c not in decided.stale]
        if not pending and decided.blocked:
            break
    return sent


@given(st.randoms(use_true_random=False), st.integers(min_value=1, max_value=len(LIFE)))
def test_whatever_the_arrival_order_the_portal_never_goes_backwards(rnd: random.Random, batch: int) -> None:
    sent = drain(LIFE, rnd, batch)
    assert [c.sequence for c in sent] == sorted({c.sequence for c in sent})
    assert all(b.previous_status == a.status for a, b in itertools.pairwise(sent))
    assert sent[-1] == LIFE[-1] or len(sent) < len(LIFE)


@given(st.randoms(use_true_random=False), st.integers(min_value=1, max_value=5))
def test_without_repeated_statuses_the_portal_sees_the_whole_life_in_order(
    rnd: random.Random, batch: int
) -> None:
    # With a status repeated (4 → 5 → 4) the chain cannot tell that a whole loop is missing: such a
    # late loop is then stale, never sent out of order (see the previous test).
    life = [C(1, 1, None), C(2, 2, 1), C(5, 4, 2), C(7, 6, 4), C(8, 9, 6), C(11, 10, 9)]
    assert drain(life, rnd, batch) == life
