"""Keeping conversations safe on several servers and through outages (scale-out profile).

- `persistence.tracker_store.FastSQLTrackerStore`: Rasa's SQLTrackerStore, plus
  reconnecting by itself after the database went away and came back (from its parent
  `RecoveringSQLTrackerStore`), and recent conversations kept in memory while the
  database still holds exactly them (also what endpoints.yml uses with SQLite).
- `persistence.endpoints.endpoints_like_project`: endpoints.yml for servers that tests
  and the benchmark start.
- `persistence.lock_store.AtomicRedisLockStore`: Rasa's RedisLockStore, with its ticket
  updates made atomic so that two servers never handle one visitor's messages at once.

The stores are named in endpoints.cluster.yml; see README, "Running on several servers".

The channels' side of an outage is channel code: `connectors.apology.apologising` sends
the visitor an apology instead of silence when a message cannot be handled because the
tracker store (PostgreSQL) or the lock store (Redis) is unavailable. The channels of
connectors/, named in credentials.yml (both profiles), use it.
"""
