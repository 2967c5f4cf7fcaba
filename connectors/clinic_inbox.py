"""Deliver visitors' callback requests to the clinic: by email, by webhook, or both.

A request is stored first (persistence/callback_requests.py); a courier thread in the
action server then sends it and keeps trying, with growing pauses, until each way of
delivery has succeeded, across restarts (at least once: see that module). Settings:

- email: the recipient is `callback_requests.email_to` in settings/clinic.yml; the server
  is SMTP_HOST and SMTP_PORT (default 25), the sender SMTP_FROM, and where needed
  SMTP_USER, SMTP_PASSWORD and SMTP_STARTTLS=1;
- webhook: a JSON POST to `callback_requests.webhook_url`, with the header
  `X-Signature-SHA256: <hex HMAC-SHA256 of the body>` keyed with CALLBACK_WEBHOOK_SECRET,
  so the clinic can check the request came from its assistant;
- CALLBACK_RETRY_SECONDS (default 30): the first pause after a failure; each next one is
  twice as long, at most an hour.

The logs name a request by its id and say what failed, never what it holds.
"""

import atexit
import hashlib
import hmac
import json
import logging
import os
import smtplib
import threading
import time
import uuid
from email.message import EmailMessage
from typing import Dict, Optional

import requests

from actions.settings import CallbackRequestSettings
from persistence.callback_requests import PENDING, CallbackRequest, CallbackRequestStore

logger = logging.getLogger(__name__)

SEND_TIMEOUT_SECONDS = 15
# A claimed request (one at a time) is retried by any server once this has passed: longer
# than its sends can take (each SMTP or HTTP step has SEND_TIMEOUT_SECONDS), short enough
# that a server stopped while sending delays it only a little.
LEASE_SECONDS = 90
MAX_RETRY_SECONDS = 3600
POLL_SECONDS = 5
SIGNATURE_HEADER = "X-Signature-SHA256"


def request_payload(request: CallbackRequest) -> Dict:
    return {
        "id": request.id,
        "created_at": request.created_at,
        "name": request.name,
        "contact": {"kind": request.contact_kind, "value": request.contact},
        "preferred_time": request.preferred_time,
        "questions": request.questions,
    }


def signature(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post_webhook(request: CallbackRequest, url: str, secret: str) -> None:
    body = json.dumps(request_payload(request), ensure_ascii=False).encode()
    response = requests.post(
        url,
        data=body,
        timeout=SEND_TIMEOUT_SECONDS,
        headers={"Content-Type": "application/json", SIGNATURE_HEADER: signature(secret, body)},
    )
    response.raise_for_status()


EMAIL_SUBJECT = "Callback request from the website chat: {name}"
EMAIL_BODY = (
    "A visitor asked the clinic to contact them.\n\n"
    "Name: {name}\n"
    "{kind}: {contact}\n"
    "When suits them: {time}\n\n"
    "Their questions in the chat:\n{questions}\n\n"
    "Request {id}\n"
)


def email_message(request: CallbackRequest, sender: str, recipient: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = EMAIL_SUBJECT.format(name=request.name)
    message["From"] = sender
    message["To"] = recipient
    message["Message-ID"] = f"<callback-{request.id}@assistant>"  # the same on every retry
    message.set_content(
        EMAIL_BODY.format(
            name=request.name,
            kind="Phone" if request.contact_kind == "phone" else "Email",
            contact=request.contact,
            time=request.preferred_time,
            id=request.id,
            questions="\n".join(f"- {question}" for question in request.questions) or "(none)",
        )
    )
    return message


def send_email(request: CallbackRequest, recipient: str, environ=os.environ) -> None:
    host = environ.get("SMTP_HOST")
    if not host:
        raise RuntimeError("SMTP_HOST is not set")
    port = int(environ.get("SMTP_PORT") or 25)
    sender = environ.get("SMTP_FROM") or f"assistant@{host}"
    with smtplib.SMTP(host, port, timeout=SEND_TIMEOUT_SECONDS) as smtp:
        if environ.get("SMTP_STARTTLS") == "1":
            smtp.starttls()
        if environ.get("SMTP_USER"):
            smtp.login(environ["SMTP_USER"], environ.get("SMTP_PASSWORD", ""))
        smtp.send_message(email_message(request, sender, recipient))


class Courier:
    """Sends due requests in a background thread; `wake()` after storing one sends it at once."""

    def __init__(self, store: CallbackRequestStore, settings: CallbackRequestSettings, environ=os.environ):
        self.store = store
        self.settings = settings
        self.environ = environ
        self.retry_seconds = float(environ.get("CALLBACK_RETRY_SECONDS") or 30)
        self.claimant = uuid.uuid4().hex  # this server's claims
        self._wake = threading.Event()
        self._thread: Optional[threading.Thread] = None
        # Claiming and stopping exclude each other, so no claim is taken after they are handed back.
        self._claiming = threading.Lock()
        self._stopped = False
        self._last_cleanup = 0.0

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="callback-courier", daemon=True)
            self._thread.start()
            atexit.register(self.release_claims)

    def release_claims(self) -> None:
        """On a normal stop: claim nothing more, and what this server was sending is at once
        free for the next one."""
        with self._claiming:
            self._stopped = True
            try:
                self.store.release_claims(self.claimant)
            except Exception as error:  # the database is gone too: the lease still runs out
                logger.warning("callback requests: claims not handed back (%s)", type(error).__name__)

    def wake(self) -> None:
        self._wake.set()

    def _run(self) -> None:
        while True:
            try:
                self.deliver_due()
                self.remove_old()
            except Exception as error:  # the database may be down for a while: keep going
                logger.warning("callback requests: delivery round failed (%s)", type(error).__name__)
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()

    def deliver_due(self) -> None:
        while True:
            with self._claiming:
                if self._stopped:
                    return
                request = self.store.claim_next(self.claimant, LEASE_SECONDS)
            if request is None:
                return
            self.deliver(request)

    def deliver(self, request: CallbackRequest) -> None:
        failures = []
        if request.email_state == PENDING:
            failures += self._try(request, "email", lambda: send_email(request, self.settings.email_to, self.environ))
        if request.webhook_state == PENDING:
            secret = self.environ.get("CALLBACK_WEBHOOK_SECRET", "")
            failures += self._try(request, "webhook", lambda: post_webhook(request, self.settings.webhook_url, secret))
        if failures:
            retry_in = min(self.retry_seconds * 2**request.attempts, MAX_RETRY_SECONDS)
            if not self.store.mark_failed(request.id, "; ".join(failures), retry_in, self.claimant):
                logger.warning(
                    "callback request %s: its claim lapsed or was handed back while sending; not rescheduled here",
                    request.id,
                )
                return
            logger.warning(
                "callback request %s not delivered (%s); retry in %.0f s", request.id, "; ".join(failures), retry_in
            )
        else:
            logger.info("callback request %s delivered", request.id)

    def _try(self, request: CallbackRequest, channel: str, send) -> list:
        try:
            send()
        except Exception as error:  # any failure is retried; only its kind is kept
            return [f"{channel}: {type(error).__name__}"]
        self.store.mark_delivered(request.id, channel, self.claimant)
        return []

    def remove_old(self, now: Optional[float] = None) -> None:
        now = time.time() if now is None else now
        if now - self._last_cleanup < 3600:
            return
        self._last_cleanup = now
        removed = self.store.remove_delivered_before(now - self.settings.retention_days * 86400)
        if removed:
            logger.info(
                "callback requests: %d delivered request(s) older than %d days removed",
                removed,
                self.settings.retention_days,
            )
