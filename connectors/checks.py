"""The checks of what a visitor sends, before Rasa sees it: pure functions that say what
is wrong (a text for the client and the log), or None. connectors/web.py applies them.

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

`body_problem` checks a REST request body (the REST channel answers its problem with a
4xx before anything is parsed or stored):

- at most `MAX_BODY_BYTES` (else 413), a UTF-8 JSON object (else 400);
- `sender`: a non-empty string of at most 255 characters (the tracker store's column),
  without control characters or surrogates (`sender_problem`), not in another channel's
  space of ids (connectors/spaces.py);
- `message`: a string without lone surrogates; empty, whitespace and control characters
  are fine (the assistant answers them);
- `metadata`, if given: an object (at most `MAX_METADATA_DEPTH` levels deep and
  `MAX_METADATA_CHARS` as JSON) or null (`metadata_problem`);
  `input_channel`, if given: a string or null.

Every message of every channel is checked again at the handler (connectors/web.py
`guarded`): `sender_problem`, a message longer than `MAX_MESSAGE_CHARS` answered unread,
lone surrogates in the text made U+FFFD (`without_surrogates`). `socketio_message_problem`
checks each chat widget message: Rasa's socket.io handler raised (a traceback in the log,
no reply) for a message that is not an object, a `message` that is not a string, and
`customData` that is neither an object nor JSON text for one.
"""

import json
import unicodedata
from typing import Any, Optional, Text, Tuple

from connectors.spaces import reserved_prefix

MAX_MESSAGE_CHARS = 2_000  # worst case (one token per character) about 1 s of NLU
MAX_BODY_BYTES = 256 * 1024  # room for a 10,000-character message, every character JSON-escaped
MAX_SENDER_CHARS = 255  # Rasa's SQL tracker store: events.sender_id is VARCHAR(255)
MAX_METADATA_DEPTH = 20  # Rasa copies and serialises metadata recursively: 500 levels failed the turn
MAX_METADATA_CHARS = 8_000  # as JSON; it is stored with every message (the widget sends about 20)


def has_surrogate(text: Text) -> bool:
    """True if the text holds a lone UTF-16 surrogate (valid JSON, not valid text)."""
    return any("\ud800" <= char <= "\udfff" for char in text)


def without_surrogates(text: Text) -> Text:
    """The text with each lone UTF-16 surrogate replaced by U+FFFD."""
    return "".join("\ufffd" if "\ud800" <= char <= "\udfff" else char for char in text)


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
    if has_surrogate(sender) or any(unicodedata.category(char) == "Cc" for char in sender):
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
    names = {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "an object",
        type(None): "null",
    }
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
        return 400, (
            f'the body must be a JSON object like {{"sender": "visitor-1", "message": "Hello"}}, not {_json_type(data)}'
        )
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
    if has_surrogate(message):
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
