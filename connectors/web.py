"""The REST and socket.io channels with their input checked before Rasa sees it.

Rasa 3.6.21's REST channel trusts the request body. Seen against this assistant:

- a body that is not a JSON object (`[]`, `null`, `"hi"`, no body at all) answers 500
  with a traceback in the log;
- `message` missing, `null`, a number, a list or an object, or `metadata` that is not
  an object, answers 200 `[]` (no reply) and logs a traceback; metadata nested 500
  levels deep fails the turn with a RecursionError;
- `sender` missing, `null` or `""` puts the message into one shared conversation named
  "default", mixing visitors;
- a lone UTF-16 surrogate such as `"\\ud800"` (valid JSON, not valid text) in `message`
  answers `[]` with a traceback; in `sender` it **stops the Rasa server**: the SQL tracker
  store takes the UnicodeEncodeError for a missing PostgreSQL schema and calls
  `sys.exit(1)`. The socket.io channel does the same with such a `session_id`. (With
  PostgreSQL a NUL character in the sender id does it too.)
- a long message costs time and memory that grow with the square of its number of tokens
  (DIET's attention), while the server's event loop serves no one else: 10,000 emoji (one
  token each) took 40 s and grew the server by about 6 GB; 2,000 took under 1 s.

`RestInput` answers a request it cannot use with a 4xx and a JSON body saying what is
wrong (`{"error": "...", "status": 400}`), before anything is parsed or stored:

- the client address is within its rate (`limits.per_address`, else 429);
- the body, at most `MAX_BODY_BYTES` (else 413, from the Content-Length before Sanic
  reads the body), is a UTF-8 JSON object (else 400);
- `sender`: a non-empty string of at most 255 characters (the tracker store's column),
  without control characters or surrogates, not in another channel's space of ids
  (connectors/spaces.py);
- `message`: a string without lone surrogates; empty, whitespace and control characters
  are fine (the assistant answers them);
- `metadata`, if given: an object (at most `MAX_METADATA_DEPTH` levels deep and
  `MAX_METADATA_CHARS` as JSON) or null;
  `input_channel`, if given: a string or null.

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
It checks each widget message before Rasa's handler sees it: Rasa's raised
(a traceback in the log, no reply) for a message that is not an object, a `message` that
is not a string, and `customData` that is neither an object nor JSON text for one. Such
a message gets `UNREADABLE` as the answer instead, and a client address over its rate
`limits.SLOW_DOWN`. Session ids are the server's own (connectors/spaces.py).

Both hand each message to `handled` (the checks, one turn per question, an apology when a
turn cannot be handled), as the messaging channels do; one class per channel serves both
profiles. Name them in the credentials file instead of `rest` and
`socketio`; the URLs stay Rasa's (/webhooks/rest/webhook, /socket.io):

    connectors.web.RestInput:
    connectors.web.SocketIOInput:
      user_message_evt: user_uttered
      ...
"""

import json
import logging
import os
import unicodedata
import uuid
from typing import Any, Dict, List, Optional, Text, Tuple

from sanic import response
from sanic.exceptions import PayloadTooLarge
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput

from connectors import limits
from connectors.questions import Parse, one_turn_per_question, parse_with_running_agent
from connectors.spaces import WEB, WEB_SESSION_ID, reserved_prefix, spaced
from connectors.apology import Handler, apologising

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 2_000  # worst case (one token per character) about 1 s of NLU
MAX_BODY_BYTES = 256 * 1024  # room for a 10,000-character message, every character JSON-escaped
MAX_SENDER_CHARS = 255  # Rasa's SQL tracker store: events.sender_id is VARCHAR(255)
MAX_METADATA_DEPTH = 20  # Rasa copies and serialises metadata recursively: 500 levels failed the turn
MAX_METADATA_CHARS = 8_000  # as JSON; it is stored with every message (the widget sends about 20)

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


def _has_surrogate(text: Text) -> bool:
    return any("\ud800" <= char <= "\udfff" for char in text)


def sender_problem(sender: Any) -> Optional[Text]:
    """Why this sender id cannot key a conversation, or None."""
    if sender is None:
        return "'sender' is required: a string that identifies the visitor's conversation"
    if not isinstance(sender, str):
        return f"'sender' must be a string, not {_json_type(sender)}"
    if not sender.strip():
        return "'sender' must not be empty"
    if len(sender) > MAX_SENDER_CHARS:
        return f"'sender' must be at most {MAX_SENDER_CHARS} characters (got {len(sender)})"
    if _has_surrogate(sender) or any(unicodedata.category(char) == "Cc" for char in sender):
        return "'sender' must not contain control characters or lone UTF-16 surrogates"
    return None


def _depth(value: Any) -> int:
    """How deeply objects and arrays nest in a JSON value (without recursing)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, (dict, list)):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


def _json_type(value: Any) -> Text:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string",
             list: "an array", dict: "an object", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def metadata_problem(key: Text, metadata: Any) -> Optional[Text]:
    """Why Rasa cannot keep this metadata with the message, or None."""
    if metadata is not None and not isinstance(metadata, dict):
        return f"'{key}' must be an object, not {_json_type(metadata)}"
    if _depth(metadata) > MAX_METADATA_DEPTH:
        return f"'{key}' is nested too deeply (at most {MAX_METADATA_DEPTH} levels)"
    if metadata and len(json.dumps(metadata)) > MAX_METADATA_CHARS:
        return f"'{key}' is too large (at most {MAX_METADATA_CHARS:,} characters as JSON)"
    return None


def too_large(request: Request, _: Exception) -> HTTPResponse:
    error = f"the request body is too large (at most {MAX_BODY_BYTES:,} bytes)"
    return response.json({"error": error, "status": 413}, status=413)


def body_problem(body: bytes) -> Optional[Tuple[int, Text]]:
    """(status, error) for a REST request body Rasa cannot handle, or None."""
    if len(body) > MAX_BODY_BYTES:
        return 413, f"the request body is too large: {len(body):,} bytes (at most {MAX_BODY_BYTES:,})"
    try:
        data = json.loads(body)
    except RecursionError:  # [[[[...]]]]
        return 400, f"the body's JSON is nested too deeply (at most {MAX_METADATA_DEPTH} levels in 'metadata')"
    except ValueError:  # invalid UTF-8 too
        if not body.strip():
            return 400, 'the body must be a JSON object like {"sender": "visitor-1", "message": "Hello"}'
        return 400, "the body is not valid JSON in UTF-8"
    if not isinstance(data, dict):
        return 400, (f'the body must be a JSON object like {{"sender": "visitor-1", "message": "Hello"}}, '
                     f"not {_json_type(data)}")
    problem = sender_problem(data.get("sender"))
    if problem:
        return 400, problem
    prefix = reserved_prefix(data["sender"])
    if prefix:
        return 400, f"'sender' must not start with '{prefix}': those ids name another channel's conversations"
    message = data.get("message")
    if message is None:
        return 400, "'message' is required: the visitor's text (it may be empty)"
    if not isinstance(message, str):
        return 400, f"'message' must be a string, not {_json_type(message)}"
    if _has_surrogate(message):
        return 400, "'message' must be valid Unicode text: it contains a lone UTF-16 surrogate"
    problem = metadata_problem("metadata", data.get("metadata"))
    if problem:
        return 400, problem
    if data.get("input_channel") is not None and not isinstance(data["input_channel"], str):
        return 400, f"'input_channel' must be a string, not {_json_type(data['input_channel'])}"
    return None


def socketio_message_problem(data: Any, metadata_key: Text) -> Optional[Text]:
    """Why Rasa's socket.io handler would fail on this message, or None."""
    if not isinstance(data, dict):
        return f"a message must be an object, not {_json_type(data)}"
    if "message" in data and not isinstance(data["message"], str):
        return f"'message' must be a string, not {_json_type(data['message'])}"
    metadata = data.get(metadata_key)
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except RecursionError:  # "[[[[..."
            return f"'{metadata_key}' is nested too deeply (at most {MAX_METADATA_DEPTH} levels)"
        except ValueError:
            return f"'{metadata_key}' is a string but not JSON"
    return metadata_problem(metadata_key, metadata)


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
        if isinstance(text, str) and _has_surrogate(text):
            message.text = "".join("\ufffd" if "\ud800" <= char <= "\udfff" else char for char in text)
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
                return response.json({"error": limits.SLOW_DOWN, "status": 429}, status=429,
                                     headers={"Retry-After": str(per_address.retry_after(address))})
            problem = body_problem(request.body or b"")
            if problem is None:
                return None
            status, error = problem
            logger.info(f"Refused a REST request ({status}): {error}")
            return response.json({"error": error, "status": status}, status=status)

        return webhook


class SocketIOInput(RasaSocketIOInput):
    """Rasa's socket.io channel, with the page origin checked (`chat_origins`), sessions
    made by the server, each message checked (`limits`, `socketio_message_problem`,
    `guarded`) and an apology when handling fails."""

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
        handlers = self.sio.handlers[self.namespace or "/"]
        rasa_connect, rasa_handler = handlers["connect"], handlers[self.user_message_evt]
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
            session_id = requested if isinstance(requested, str) and WEB_SESSION_ID.fullmatch(requested) \
                else uuid.uuid4().hex
            sender = spaced(WEB, session_id)
            previous = self.sessions.get(sid)
            if previous and previous != sender:
                self.sio.leave_room(sid, previous, namespace=self.namespace)
            self.sessions[sid] = sender
            self.sio.enter_room(sid, sender, namespace=self.namespace)  # replies go to this room
            await self.sio.emit("session_confirm", session_id, room=sid)

        self.sio.on("session_request", session_request, namespace=self.namespace)
