"""Where conversations and callback requests are kept, safely on several servers and
through outages.

- `persistence.tracker_store.FastSQLTrackerStore`: Rasa's SQLTrackerStore, plus
  reconnecting by itself after the database went away and came back (from its parent
  `RecoveringSQLTrackerStore`), and recent conversations kept in memory while the
  database still holds exactly them (what endpoints.yml and endpoints.cluster.yml use).
- `persistence.outage`: what a visitor's turn does when the database cannot be reached
  (the store stops the turn; `connectors.apology` tells the visitor).
- `persistence.lock_store.AtomicRedisLockStore`: Rasa's RedisLockStore, with its ticket
  updates made atomic so that two servers never handle one visitor's messages at once.
- `persistence.callback_requests.CallbackRequestStore`: callback requests, kept until
  delivered and then for the clinic's retention period.

See docs/operations.md.
"""
