"""Visitors' requests to be contacted by the clinic: stored first, delivered after.

They are kept in the tracker store's database (the `tracker_store` of the endpoints file in
ENDPOINTS, endpoints.yml by default), in a table of their own, `callback_requests`, so that
a request outlives a mail server or webhook that is down and a restart of any server.
Delivery (connectors/clinic_inbox.py) claims one due request at a time, under its own
token and for a while, so that two action servers do not send the same one at the same
time; each way of delivery (email, webhook) is marked done on its own. Delivery is at
least once: a server that stops between sending and marking sends again after a restart,
so the request id (the email's Message-ID) lets the clinic drop the duplicate.
"""

import json
import os
import time
import uuid
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Iterable, List, Optional

import sqlalchemy as sa

PROJECT = Path(__file__).resolve().parents[1]
PENDING, DELIVERED = "pending", "delivered"

METADATA = sa.MetaData()
REQUESTS = sa.Table(
    "callback_requests",
    METADATA,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("sender_id", sa.String(255), index=True, nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("contact", sa.Text, nullable=False),
    sa.Column("contact_kind", sa.String(8), nullable=False),
    sa.Column("preferred_time", sa.Text, nullable=False),
    sa.Column("questions", sa.Text, nullable=False),  # JSON list of the visitor's questions
    # Per way of delivery: null (not wanted), "pending" or "delivered".
    sa.Column("email_state", sa.String(16)),
    sa.Column("webhook_state", sa.String(16)),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("next_attempt_at", sa.Float, nullable=False),
    sa.Column("claimed_until", sa.Float, nullable=False, default=0),
    sa.Column("claimed_by", sa.String(32)),
    sa.Column("delivered_at", sa.Float),
    sa.Column("last_error", sa.Text),  # the kind of failure only, never the request's content
)


@dataclass(frozen=True)
class CallbackRequest:
    id: str
    sender_id: str
    created_at: float
    name: str
    contact: str
    contact_kind: str
    preferred_time: str
    questions: List[str]
    email_state: Optional[str]
    webhook_state: Optional[str]
    attempts: int
    next_attempt_at: float
    delivered_at: Optional[float]
    last_error: Optional[str]

    @property
    def state(self) -> str:
        wanted = [state for state in (self.email_state, self.webhook_state) if state]
        return DELIVERED if wanted and all(state == DELIVERED for state in wanted) else PENDING


def database_url(endpoints: Optional[Path] = None) -> sa.engine.URL:
    """The database of the tracker store in the endpoints file, read as Rasa reads it."""
    from rasa.utils.endpoints import read_endpoint_config

    endpoints = Path(endpoints or os.environ.get("ENDPOINTS") or PROJECT / "endpoints.yml")
    if not endpoints.is_absolute():
        endpoints = PROJECT / endpoints
    config = read_endpoint_config(str(endpoints), "tracker_store")
    settings = dict(config.kwargs) if config else {}
    if config and config.url:
        settings["url"] = config.url
    dialect = settings.get("dialect", "sqlite")
    db = str(settings.get("db", "rasa.db"))
    if dialect == "sqlite":
        if not Path(db).is_absolute():
            db = str(PROJECT / db)  # as for `make run`, whose working folder is the project
        return sa.engine.URL.create("sqlite", database=db)
    port = settings.get("port")
    return sa.engine.URL.create(
        dialect,
        username=settings.get("username"),
        password=settings.get("password"),
        host=settings.get("url"),
        port=int(port) if port not in (None, "") else None,
        database=db,
        query=settings.get("query") or {},
    )


class CallbackRequestStore:
    def __init__(self, url):
        # hide_parameters: a database error must not write a visitor's details into a log.
        self.engine = sa.create_engine(url, future=True, hide_parameters=True, pool_pre_ping=True)
        self._table_ready = False

    def _ready(self) -> sa.engine.Engine:
        """The engine, once the table exists (made on first use: the database may start later)."""
        if not self._table_ready:
            METADATA.create_all(self.engine)
            self._table_ready = True
        return self.engine

    def add(
        self,
        sender_id: str,
        name: str,
        contact: str,
        contact_kind: str,
        preferred_time: str,
        questions: Iterable[str],
        by_email: bool,
        by_webhook: bool,
        now: Optional[float] = None,
    ) -> str:
        now = time.time() if now is None else now
        request_id = uuid.uuid4().hex
        with self._ready().begin() as connection:
            connection.execute(
                REQUESTS.insert().values(
                    id=request_id,
                    sender_id=sender_id,
                    created_at=now,
                    name=name,
                    contact=contact,
                    contact_kind=contact_kind,
                    preferred_time=preferred_time,
                    questions=json.dumps(list(questions)),
                    email_state=PENDING if by_email else None,
                    webhook_state=PENDING if by_webhook else None,
                    attempts=0,
                    next_attempt_at=now,
                    claimed_until=0,
                )
            )
        return request_id

    def claim_next(self, claimant: str, lease_seconds: float, now: Optional[float] = None) -> Optional[CallbackRequest]:
        """One pending request whose next attempt is due, claimed by `claimant` for `lease_seconds`."""
        now = time.time() if now is None else now
        pending = sa.or_(REQUESTS.c.email_state == PENDING, REQUESTS.c.webhook_state == PENDING)
        due = sa.and_(pending, REQUESTS.c.next_attempt_at <= now, REQUESTS.c.claimed_until <= now)
        with self._ready().connect() as connection:
            ids = [
                row.id
                for row in connection.execute(
                    sa.select(REQUESTS.c.id).where(due).order_by(REQUESTS.c.next_attempt_at).limit(5)
                )
            ]
        for request_id in ids:
            with self._ready().begin() as connection:
                # Only one server's update matches: the claim is the row's own condition.
                result = connection.execute(
                    REQUESTS.update()
                    .where(sa.and_(REQUESTS.c.id == request_id, due))
                    .values(claimed_until=now + lease_seconds, claimed_by=claimant)
                )
            if result.rowcount == 1:
                return self.get(request_id)
        return None

    def mark_delivered(self, request_id: str, channel: str, claimant: str, now: Optional[float] = None) -> None:
        """That way of delivery is done (whoever holds the claim now: it was sent).

        The claim is handed back only once every way is done: while one is still pending,
        the claimant keeps it to schedule that one's retry (`mark_failed`)."""
        now = time.time() if now is None else now
        with self._ready().begin() as connection:
            connection.execute(
                REQUESTS.update().where(REQUESTS.c.id == request_id).values(**{f"{channel}_state": DELIVERED})
            )
            request = self._get(connection, request_id)
            if request is not None and request.state == DELIVERED:
                connection.execute(
                    REQUESTS.update().where(REQUESTS.c.id == request_id).values(delivered_at=now, last_error=None)
                )
                connection.execute(
                    REQUESTS.update()
                    .where(sa.and_(REQUESTS.c.id == request_id, REQUESTS.c.claimed_by == claimant))
                    .values(claimed_until=0, claimed_by=None)
                )

    def mark_failed(
        self, request_id: str, error: str, retry_in: float, claimant: str, now: Optional[float] = None
    ) -> bool:
        """Schedule the next attempt; False when the claim had passed to another server."""
        now = time.time() if now is None else now
        with self._ready().begin() as connection:
            result = connection.execute(
                REQUESTS.update()
                .where(sa.and_(REQUESTS.c.id == request_id, REQUESTS.c.claimed_by == claimant))
                .values(
                    attempts=REQUESTS.c.attempts + 1,
                    next_attempt_at=now + retry_in,
                    claimed_until=0,
                    claimed_by=None,
                    last_error=error,
                )
            )
        return result.rowcount == 1

    def release_claims(self, claimant: str) -> int:
        """Hand back what `claimant` holds, so that another server need not wait for the lease."""
        with self._ready().begin() as connection:
            return connection.execute(
                REQUESTS.update().where(REQUESTS.c.claimed_by == claimant).values(claimed_until=0, claimed_by=None)
            ).rowcount

    def get(self, request_id: str) -> Optional[CallbackRequest]:
        with self._ready().connect() as connection:
            return self._get(connection, request_id)

    @staticmethod
    def _get(connection, request_id: str) -> Optional[CallbackRequest]:
        row = connection.execute(sa.select(REQUESTS).where(REQUESTS.c.id == request_id)).first()
        return _request(row) if row is not None else None

    def all(self) -> List[CallbackRequest]:
        with self._ready().connect() as connection:
            rows = connection.execute(sa.select(REQUESTS).order_by(REQUESTS.c.created_at))
            return [_request(row) for row in rows]

    def delete_for_senders(self, sender_ids: Iterable[str]) -> int:
        sender_ids = list(sender_ids)
        if not sender_ids:
            return 0
        with self._ready().begin() as connection:
            return connection.execute(REQUESTS.delete().where(REQUESTS.c.sender_id.in_(sender_ids))).rowcount

    def remove_delivered_before(self, cutoff: float) -> int:
        with self._ready().begin() as connection:
            return connection.execute(
                REQUESTS.delete().where(sa.and_(REQUESTS.c.delivered_at.isnot(None), REQUESTS.c.delivered_at < cutoff))
            ).rowcount


def _request(row) -> CallbackRequest:
    values = {field.name: getattr(row, field.name) for field in fields(CallbackRequest)}
    return CallbackRequest(**{**values, "questions": json.loads(row.questions)})
