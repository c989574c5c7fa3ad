"""The replica ring: a stable home per conversation, even spread, fail-over order, recovery."""

from collections import Counter

import pytest

from handoff.bot.replicas import DOWN_SECONDS, ReplicaRing

URLS = ["http://127.0.0.1:5005", "http://127.0.0.1:5006", "http://127.0.0.1:5007"]


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_conversation_always_has_the_same_home() -> None:
    ring, again = ReplicaRing(URLS), ReplicaRing(list(reversed(URLS)))
    for number in range(200):
        cid = f"conversation-{number}"
        assert ring.home(cid).url == again.home(cid).url
        assert ring.order_for(cid)[0].url == ring.home(cid).url


def test_conversations_spread_over_the_replicas() -> None:
    ring = ReplicaRing(URLS)
    homes = Counter(ring.home(f"c{n}").url for n in range(3000))
    assert set(homes) == set(URLS)
    assert min(homes.values()) > 3000 / len(URLS) * 0.6, homes


def test_adding_a_replica_moves_only_some_conversations() -> None:
    before, after = ReplicaRing(URLS[:2]), ReplicaRing(URLS)
    moved = sum(before.home(f"c{n}").url != after.home(f"c{n}").url for n in range(3000))
    assert 0 < moved < 3000 * 0.5  # about a third, never everything


def test_every_replica_is_in_the_fail_over_order_once() -> None:
    ring = ReplicaRing(URLS)
    order = [replica.url for replica in ring.order_for("abc")]
    assert sorted(order) == sorted(URLS)


def test_a_failed_replica_goes_last_until_it_may_be_tried_again() -> None:
    clock = Clock()
    ring = ReplicaRing(URLS, clock=clock)
    home = ring.home("abc")
    ring.mark_down(home)
    assert ring.order_for("abc")[-1] is home
    clock.now += DOWN_SECONDS + 0.1
    assert ring.order_for("abc")[0] is home


@pytest.mark.parametrize("urls", [[], [" "], ["http://a:1", "http://a:1/"]])
def test_bad_replica_lists_are_refused(urls: list[str]) -> None:
    with pytest.raises(ValueError):
        ReplicaRing(urls)
