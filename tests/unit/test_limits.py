"""connectors/limits.py: messages per minute per visitor and per address, with a burst."""

import pytest

from connectors import limits
from connectors.limits import RateLimit


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_burst_of_a_third_of_a_minute_then_refused():
    clock = Clock()
    limit = RateLimit(30, clock=clock)  # 0.5 a second, 10 at once
    assert [limit.allow("visitor") for _ in range(11)] == [True] * 10 + [False]
    assert limit.retry_after("visitor") == 2


def test_messages_come_back_at_the_rate():
    clock = Clock()
    limit = RateLimit(30, clock=clock)
    for _ in range(10):
        limit.allow("visitor")
    clock.now += 2  # one message's worth
    assert limit.allow("visitor") and not limit.allow("visitor")
    clock.now += 60
    assert sum(limit.allow("visitor") for _ in range(20)) == 10  # never more than the burst


def test_refused_messages_do_not_count():
    clock = Clock()
    limit = RateLimit(6, clock=clock)  # one each 10 s, 2 at once
    assert [limit.allow("v") for _ in range(5)] == [True, True, False, False, False]
    clock.now += 10
    assert limit.allow("v")


def test_keys_are_counted_apart():
    limit = RateLimit(3, clock=Clock())  # 1 at once
    assert limit.allow("a") and limit.allow("b") and not limit.allow("a")


def test_zero_means_no_limit():
    limit = RateLimit(0, clock=Clock())
    assert all(limit.allow("v") for _ in range(10_000)) and limit.retry_after("v") == 0


def test_full_buckets_are_forgotten():
    clock = Clock()
    limit = RateLimit(60, clock=clock)
    for n in range(limits.SWEEP_EVERY - 1):
        limit.allow(f"visitor-{n}")
    clock.now += 60
    limit.allow("last")
    assert list(limit.buckets) == ["last"]


def test_limits_read_from_the_environment(monkeypatch):
    monkeypatch.delenv("RATE_LIMIT_PER_VISITOR", raising=False)
    monkeypatch.setenv("RATE_LIMIT_PER_ADDRESS", "12")
    assert limits.per_visitor().rate * 60 == limits.DEFAULT_PER_VISITOR
    assert limits.per_address().rate * 60 == 12


@pytest.mark.parametrize("value", ["fast", "-1", "nan", "inf"])
def test_a_limit_that_is_not_a_rate_is_a_clear_error(monkeypatch, value):
    monkeypatch.setenv("RATE_LIMIT_PER_VISITOR", value)
    with pytest.raises(ValueError, match="RATE_LIMIT_PER_VISITOR must be a number of messages per minute"):
        limits.per_visitor()
