"""The store's failure path (persistence/outage.py): a database outage stops a visitor's
turn with TrackerStoreUnavailable, and is the database's own error anywhere else."""

import asyncio

from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
from rasa.shared.core.domain import Domain

from persistence.outage import TrackerStoreUnavailable, unavailable, visitor_turn


def test_outside_a_visitors_turn_the_store_raises_the_database_error():
    assert unavailable("read conversation 'visitor'", "connection refused") is None


def test_in_a_visitors_turn_the_store_raises_tracker_store_unavailable():
    with visitor_turn():
        outage = unavailable("save conversation 'visitor'", "connection refused", answered=True)
    assert isinstance(outage, TrackerStoreUnavailable) and outage.answered
    assert str(outage) == "could not save conversation 'visitor': connection refused"
    assert unavailable("read conversation 'visitor'", "connection refused") is None  # the turn is over


def test_rasas_fail_safe_store_does_not_swallow_it():
    assert not isinstance(TrackerStoreUnavailable("could not read"), Exception)

    class Unreachable(InMemoryTrackerStore):
        async def retrieve(self, sender_id):
            with visitor_turn():
                raise unavailable(f"read conversation '{sender_id}'", "connection refused")

    fail_safe = FailSafeTrackerStore(Unreachable(Domain.empty()))
    try:
        asyncio.run(fail_safe.retrieve("visitor"))
    except TrackerStoreUnavailable as outage:
        assert not outage.answered
    else:
        raise AssertionError("FailSafeTrackerStore answered 'no conversation yet'")
