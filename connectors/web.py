"""The REST and socket.io channels with their input checked before Rasa sees it. The
checks, and what Rasa 3.6.21 did without them, are in connectors/checks.py.

`RestInput` answers a request it cannot use with a 4xx and a JSON body saying what is
wrong (`{"error": "...", "status": 400}`), before anything is parsed or stored: a client
address over its rate (`limits.per_address`) gets 429, a body over `MAX_BODY_BYTES` 413
(from the Content-Length before Sanic reads the body), and a body that
`checks.body_problem` refuses 400 (or 413).

Both channels check every message at the handler too (`guarded`; the socket.io channel's
messages never pass the REST check): a visitor over their rate (`limits.per_visitor`)
gets `limits.SLOW_DOWN`, a message longer than `MAX_MESSAGE_CHARS` gets
`TOO_LONG` as the answer and is neither processed nor stored; a sender id that cannot be
stored is dropped with a warning instead of stopping the server; lone surrogates in the
text become U+FFFD.

`SocketIOInput` refuses a browser whose page origin is not in `CHAT_ORIGINS` (the page
origins `make run` also gives Rasa's `--cors`; Rasa's socket.io server accepted every
origin, so any web site could run the clinic's assistant in its own pages). Clients that
send no Origin header (apps, scripts) are not browsers running someone's page and pass.
It checks each widget message before Rasa's handler sees it
(`checks.socketio_message_problem`): a message Rasa's handler would raise on gets
`UNREADABLE` as the answer instead, and a client address over its rate
`limits.SLOW_DOWN`. Session ids are the server's own (connectors/spaces.py).

Both hand each message to `handled` (the checks, one turn per question, an apology when a
turn cannot be handled), as the messaging channels do; one class per channel serves both
profiles. Name them in credentials.yml instead of `rest` and `socketio`; the URLs stay
Rasa's (/webhooks/rest/webhook, /socket.io):

    connectors.web.RestInput:
    connectors.web.SocketIOInput:
      user_message_evt: user_uttered
      ...
"""

import logging
import os
import uuid
from typing import Any, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from sanic import response
from sanic.exceptions import PayloadTooLarge
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from connectors import limits
from connectors.apology import Handler, apologising
from connectors.checks import (
    MAX_BODY_BYTES,
    MAX_MESSAGE_CHARS,
    body_problem,
    has_surrogate,
    sender_problem,
    socketio_message_problem,
    without_surrogates,
)
from connectors.questions import Parse, one_turn_per_question, parse_with_running_agent
from connectors.spaces import WEB, WEB_SESSION_ID, spaced

logger = logging.getLogger(__name__)

UNREADABLE = "Sorry, I couldn't read that message. Please type your question as plain text."

NO_SESSION = "Sorry, this chat has lost its connection to me. Please reload the page and ask again."

TOO_LONG = (
    "Sorry, that message is too long for me (more than {limit:,} characters). "
    "Please ask your question in a few sentences."
)

# scripts/run.sh and run_cluster.sh export CHAT_ORIGINS; this is their default for WEB_PORT 8080.
DEFAULT_CHAT_ORIGINS = "http://localhost:8080 http://127.0.0.1:8080"


def chat_origins() -> List[Text]:
    """The web page origins allowed to open the widget's socket (space-separated CHAT_ORIGINS)."""
    return os.environ.get("CHAT_ORIGINS", DEFAULT_CHAT_ORIGINS).split()


def client_address(request: Request) -> Text:
    """The visitor's address: the one a trusted proxy forwards (Sanic's PROXIES_COUNT), else the peer's."""
    return request.remote_addr or request.ip


def too_large(request: Request, _: Exception) -> HTTPResponse:
    error = f"the request body is too large (at most {MAX_BODY_BYTES:,} bytes)"
    return response.json({"error": error, "status": 413}, status=413)


def guarded(on_new_message: Handler) -> Handler:
    """Check each message before Rasa handles it (any channel)."""
    per_visitor = limits.per_visitor()

    async def handle(message: UserMessage) -> None:
        problem = sender_problem(message.sender_id)
        if problem:
            # Rasa would fail on it in the tracker store; with SQL, by stopping the server.
            logger.warning(f"Ignored a {message.input_channel} message with an unusable sender id: {problem}")
            return
        if not per_visitor.allow(message.sender_id):
            logger.info(f"Answered a {message.input_channel} message unread: over RATE_LIMIT_PER_VISITOR")
            await message.output_channel.send_text_message(message.sender_id, limits.SLOW_DOWN)
            return
        text = message.text
        if isinstance(text, str) and len(text) > MAX_MESSAGE_CHARS:
            # No sender id: on SMS it is the visitor's phone number.
            logger.warning(f"Answered a {len(text):,}-character {message.input_channel} message unread.")
            await message.output_channel.send_text_message(message.sender_id, TOO_LONG.format(limit=MAX_MESSAGE_CHARS))
            return
        if isinstance(text, str) and has_surrogate(text):
            message.text = without_surrogates(text)
        await on_new_message(message)

    return handle


def handled(on_new_message: Handler, parse: Parse = parse_with_running_agent) -> Handler:
    """What every channel does with a message before Rasa handles it: the checks above,
    one turn per question, and an apology (nothing of the turn kept) for each turn that
    cannot be handled, so that a failed first question does not drop the second."""
    return guarded(one_turn_per_question(apologising(on_new_message), parse))


class RestInput(RasaRestInput):
    """Rasa's REST channel (`/webhooks/rest/webhook`): 4xx with a clear error for a body it
    cannot handle, an apology when handling fails."""

    def blueprint(self, on_new_message: Handler) -> Any:
        webhook = super().blueprint(handled(on_new_message))
        per_address = limits.per_address()

        @webhook.listener("before_server_start")
        async def refuse_large_bodies_unread(app: Any, _: Any) -> None:
            # Sanic reads up to 100 MB into memory before a handler sees a request; this
            # makes it answer 413 from the Content-Length header (or the bytes so far).
            app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
            app.error_handler.add(PayloadTooLarge, too_large)

        @webhook.middleware("request")
        async def check_body(request: Request) -> Optional[HTTPResponse]:
            if request.method != "POST":
                return None
            address = client_address(request)
            if not per_address.allow(address):
                logger.info("Refused a REST request (429): over RATE_LIMIT_PER_ADDRESS")
                return response.json(
                    {"error": limits.SLOW_DOWN, "status": 429},
                    status=429,
                    headers={"Retry-After": str(per_address.retry_after(address))},
                )
            problem = body_problem(request.body or b"")
            if problem is None:
                return None
            status, error = problem
            logger.info(f"Refused a REST request ({status}): {error}")
            return response.json({"error": error, "status": status}, status=status)

        return webhook


def registered(sio: AsyncServer, event: Text, namespace: Optional[Text]) -> Callable[..., Any]:
    """The handler registered with `sio.on(event, handler, namespace=namespace)`, such as
    Rasa's own, to be called from the one that replaces it. python-socketio (5.8) can
    register a handler (`on`) but has nothing to read one back: `on` keeps it in
    `sio.handlers[namespace or "/"][event]`, so it is read from there."""
    return sio.handlers[namespace or "/"][event]


class SocketIOInput(RasaSocketIOInput):
    """Rasa's socket.io channel, with the page origin checked (`chat_origins`), sessions
    made by the server, each message checked (`limits`, `checks.socketio_message_problem`,
    `guarded`) and an apology when handling fails. Its handlers replace Rasa's through
    `sio.on`, in the channel's namespace, calling Rasa's where Rasa's work is wanted."""

    def blueprint(self, on_new_message: Handler) -> Any:
        webhook = super().blueprint(handled(on_new_message))
        allowed = chat_origins()
        engine = self.sio.eio
        engine_handler = engine.handle_request  # the socket.io route is made from this at start

        async def origin_checked(request: Request, *args: Any, **kwargs: Any) -> Any:
            origin = request.headers.get("origin")
            if origin and origin not in allowed:
                logger.info(f"Refused a socket.io connection from the page origin {origin!r} (not in CHAT_ORIGINS)")
                return response.json({"error": f"origin {origin} is not allowed", "status": 403}, status=403)
            return await engine_handler(request, *args, **kwargs)

        engine.handle_request = origin_checked
        self.sessions: Dict[Text, Text] = {}  # socket id -> tracker sender id ("web:<session id>")
        if self.session_persistence:
            self._sessions_made_here()
        rasa_connect = registered(self.sio, "connect", self.namespace)
        rasa_handler = registered(self.sio, self.user_message_evt, self.namespace)
        addresses: Dict[Text, Text] = {}  # socket id -> client address
        per_address = limits.per_address()

        async def connect(sid: Text, environ: Dict, auth: Any = None) -> bool:
            addresses[sid] = client_address(environ["sanic.request"])
            return await rasa_connect(sid, environ, auth)

        async def disconnect(sid: Text) -> None:
            addresses.pop(sid, None)
            self.sessions.pop(sid, None)

        async def checked(sid: Text, data: Any = None) -> None:
            if not per_address.allow(addresses.get(sid, "")):
                logger.info("Answered a socket.io message unread: over RATE_LIMIT_PER_ADDRESS")
                await self.sio.emit(self.bot_message_evt, {"text": limits.SLOW_DOWN}, room=sid)
                return
            problem = socketio_message_problem(data, self.metadata_key)
            if problem is not None:
                logger.info(f"Refused a socket.io message: {problem}")
                await self.sio.emit(self.bot_message_evt, {"text": UNREADABLE}, room=sid)
                return
            if self.session_persistence:
                session = self.sessions.get(sid)
                if session is None:  # no session_request on this socket
                    await self.sio.emit(self.bot_message_evt, {"text": NO_SESSION}, room=sid)
                    return
                data = {**data, "session_id": session}  # whatever session the message names
            await rasa_handler(sid, data)

        self.sio.on("connect", connect, namespace=self.namespace)
        self.sio.on("disconnect", disconnect, namespace=self.namespace)
        self.sio.on(self.user_message_evt, checked, namespace=self.namespace)
        return webhook

    def _sessions_made_here(self) -> None:
        """Session ids only the server makes, and each socket's messages kept in its own
        (connectors/spaces.py). Rasa's channel joined whatever session a client named and
        filed each message under the session id the message named."""

        async def session_request(sid: Text, data: Any = None) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = (
                requested if isinstance(requested, str) and WEB_SESSION_ID.fullmatch(requested) else uuid.uuid4().hex
            )
            sender = spaced(WEB, session_id)
            previous = self.sessions.get(sid)
            if previous and previous != sender:
                self.sio.leave_room(sid, previous, namespace=self.namespace)
            self.sessions[sid] = sender
            self.sio.enter_room(sid, sender, namespace=self.namespace)  # replies go to this room
            await self.sio.emit("session_confirm", session_id, room=sid)

        self.sio.on("session_request", session_request, namespace=self.namespace)
