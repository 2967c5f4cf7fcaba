"""The turn's time limit (connectors.apology.time_limit) on a real event loop."""

import asyncio

import pytest

from connectors.apology import time_limit


async def limited(seconds, work):
    async with time_limit(seconds):
        await work()


def test_a_turn_over_the_limit_ends_in_a_timeout():
    with pytest.raises(asyncio.TimeoutError):
        asyncio.run(limited(0.05, lambda: asyncio.sleep(5)))


def test_a_turn_within_the_limit_is_not_cut_afterwards():
    async def turn_then_wait():
        await limited(0.05, lambda: asyncio.sleep(0))
        await asyncio.sleep(0.1)  # past the limit, outside the block
        return "done"

    assert asyncio.run(turn_then_wait()) == "done"


def test_a_cancel_from_elsewhere_stays_a_cancel():
    async def cancelled_from_outside():
        task = asyncio.create_task(limited(5, lambda: asyncio.sleep(5)))
        await asyncio.sleep(0.01)
        task.cancel()
        await task

    with pytest.raises(asyncio.CancelledError):
        asyncio.run(cancelled_from_outside())
