"""How fast one visitor, and one network address, may send messages.

A message of 2,000 characters can hold the server's event loop for about a second, so
without a limit one client could slow every visitor down. Two limits, read from the
environment at start (messages per minute; 0 switches a limit off):

- `RATE_LIMIT_PER_VISITOR` (default 30), per conversation on every channel: a message
  over it is answered `SLOW_DOWN` and neither processed nor stored;
- `RATE_LIMIT_PER_ADDRESS` (default 120), per client address on REST (429 with
  Retry-After) and the widget (`SLOW_DOWN`). Behind a proxy the address is the one the
  proxy forwards (Sanic's `PROXIES_COUNT`), else every visitor would share the proxy's.

Each allows a burst of a third of a minute's messages at once. The counts live in the
server process: with several servers behind nginx, nginx's `limit_req` limits each
address across all of them (scripts/cluster_nginx.py).
"""

import math
import os
import time
from typing import Callable, Dict, Text, Tuple

SLOW_DOWN = "You're sending messages faster than I can read them. Please wait a few seconds, then send it again."

DEFAULT_PER_VISITOR = 30
DEFAULT_PER_ADDRESS = 120
# Buckets are dropped once full again; this many calls between sweeps bounds the work.
SWEEP_EVERY = 1_000


class RateLimit:
    """A token bucket per key: `per_minute` messages a minute, a third of that at once."""

    def __init__(self, per_minute: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = per_minute / 60
        self.burst = max(1.0, per_minute / 3)
        self.clock = clock
        self.buckets: Dict[Text, Tuple[float, float]] = {}  # key -> (tokens left, when)
        self.calls = 0

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def _tokens(self, key: Text, now: float) -> float:
        tokens, when = self.buckets.get(key, (self.burst, now))
        return min(self.burst, tokens + (now - when) * self.rate)

    def allow(self, key: Text) -> bool:
        """Count one message for `key`; False when it is over the limit."""
        if not self.enabled:
            return True
        now = self.clock()
        self.calls += 1
        if self.calls % SWEEP_EVERY == 0:
            self.buckets = {k: v for k, v in self.buckets.items() if self._tokens(k, now) < self.burst}
        tokens = self._tokens(key, now)
        allowed = tokens >= 1
        self.buckets[key] = (tokens - 1 if allowed else tokens, now)
        return allowed

    def retry_after(self, key: Text) -> int:
        """Whole seconds until `key` may send again."""
        if not self.enabled:
            return 0
        missing = 1 - self._tokens(key, self.clock())
        return max(1, math.ceil(missing / self.rate))


def _per_minute(variable: Text, default: int) -> float:
    value = os.environ.get(variable, "").strip() or str(default)
    try:
        per_minute = float(value)
    except ValueError:
        raise ValueError(f"{variable} must be a number of messages per minute (0: no limit), not {value!r}") from None
    if per_minute < 0 or math.isnan(per_minute) or math.isinf(per_minute):
        raise ValueError(f"{variable} must be a number of messages per minute (0: no limit), not {value!r}")
    return per_minute


def per_visitor() -> RateLimit:
    return RateLimit(_per_minute("RATE_LIMIT_PER_VISITOR", DEFAULT_PER_VISITOR))


def per_address() -> RateLimit:
    return RateLimit(_per_minute("RATE_LIMIT_PER_ADDRESS", DEFAULT_PER_ADDRESS))
