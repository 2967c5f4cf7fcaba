"""One answer per question: a message that asks two things ("does it hurt and how long
will I be red?") becomes one turn per question, answered in order.

Rasa classifies a whole message into one intent, so such a message got one answer and
the other question was lost. Here the message is cut at sentence ends, HTML tags and
conjunctions that start a new question ("and how", ", also can", "? and what"), each
piece is read by the assistant's own NLU, and only when at least two pieces are clear
questions about different things (a guide answer picked with confidence, or a question
the guide does not cover, beside at least one guide answer) does each go through Rasa as
its own turn. Pieces not worded as questions are context and get no answer of their own;
one clear question inside a message that is unclear as a whole (a long story ending in
the question, markup around it) goes through alone. Everything else (one question, a date
for the aftercare timing) goes through whole, as before. Each turn keeps the channel's metadata
and adds `split_from`, the message as the visitor wrote it, and `split_part`, the
question's place in it (0, 1, ...).

The channels in this package wrap Rasa's message handler with `one_turn_per_question`.
"""

import logging
import re
from typing import Any, Awaitable, Callable, Dict, List, NamedTuple, Optional, Sequence, Text

from rasa.core.channels.channel import UserMessage
from sanic import Sanic
from sanic.exceptions import SanicException

from persistence.channels import Handler

logger = logging.getLogger(__name__)

Parse = Callable[[Text], Awaitable[Dict[Text, Any]]]

# Words a new question starts with ("and how long ...", "also, can I ...").
QUESTION_OPENERS = (
    "how", "what", "whats", "what's", "when", "where", "why", "who", "which", "is", "are",
    "does", "do", "did", "can", "could", "will", "would", "should", "am", "any", "has",
    "have", "r", "wat", "wot", "hw",
)
_OPENER = r"(?:" + "|".join(re.escape(word) for word in QUESTION_OPENERS) + r")\b"
# Sentence ends, line breaks and HTML tags always cut.
_TAG = r"<[^>]{0,200}>"
_HARD_BREAK = re.compile(r"(?<=[?!.;])\s+|(?<=[?!])(?=[^\s?!])|\n+|" + _TAG)
# A conjunction cuts only where a question starts after it ("and how", "also can").
_SOFT_BREAK = re.compile(
    r"(?:,\s*|\s+)(?:and|also|plus|&|n|but)\s+(?:also\s+)?(?=" + _OPENER + r")|,\s*(?=" + _OPENER + r")",
    re.IGNORECASE,
)
# "does it help acne scars and pores?": "pores" is asked about too (not "... and I do").
_SHORT_CONJUNCT = re.compile(
    r"^(?P<head>.+?)\s+(?:and|&|plus)\s+(?:what about\s+|also\s+)?"
    r"(?!(?:i|i'm|im|my|me|it|we|you|they|he|she)\b)(?P<tail>\w+(?:\s+\w+){0,2})\W*$",
    re.IGNORECASE,
)
_LEADING_FILLER = re.compile(r"^(?:and|also|plus|but|so|oh|ok|okay)\b[\s,]*", re.IGNORECASE)

MAX_QUESTIONS = 3
# A longer message is read whole: each piece costs an NLU pass (about 8 ms).
MAX_PIECES = 6
# Longer than this, a message with one question in it may be a story ending in the question.
LONG_MESSAGE_CHARS = 120
# A piece is a clear guide question when the intent is faq at least this sure and the
# response selector's pick at least this sure (both 0-1).
MIN_INTENT_CONFIDENCE = 0.6
MIN_ANSWER_CONFIDENCE = 0.5
AFTERCARE_INTENTS = {"ask_aftercare_timing", "inform_treatment_date"}


class Piece(NamedTuple):
    text: Text
    asks: bool  # worded as a question, or the short second half of one ("... and pores")


def _clean(piece: Text) -> Text:
    return _LEADING_FILLER.sub("", piece.strip(" ,-\t")).strip(" ,-\t")


def _looks_like_a_question(piece: Text) -> bool:
    return piece.rstrip().endswith("?") or bool(re.match(_OPENER, piece, re.IGNORECASE))


def question_pieces(text: Text) -> List[Piece]:
    """The message cut where a new question may start; pieces without words are dropped."""
    pieces: List[Piece] = []
    for sentence in _HARD_BREAK.split(text or ""):
        for clause in _SOFT_BREAK.split(sentence or ""):
            clause = _clean(clause)
            asks = _looks_like_a_question(clause)
            short = _SHORT_CONJUNCT.match(clause) if asks else None
            if short and not re.match(_OPENER, short["tail"], re.IGNORECASE):
                pieces.extend([Piece(_clean(short["head"]), True), Piece(_clean(short["tail"]), True)])
            elif clause:
                pieces.append(Piece(clause, asks))
    return [piece for piece in pieces if re.search(r"\w", piece.text)]


def _answer_key(parse: Dict[str, Any]) -> Optional[Text]:
    """The guide answer the parse picks with confidence, or None."""
    intent = parse.get("intent") or {}
    if intent.get("name") != "faq" or intent.get("confidence", 0) < MIN_INTENT_CONFIDENCE:
        return None
    response = ((parse.get("response_selector") or {}).get("faq") or {}).get("response") or {}
    if response.get("confidence", 0) < MIN_ANSWER_CONFIDENCE:
        return None
    return response.get("intent_response_key")


def _is_out_of_scope(parse: Dict[str, Any]) -> bool:
    intent = parse.get("intent") or {}
    return intent.get("name") == "out_of_scope" and intent.get("confidence", 0) >= MIN_INTENT_CONFIDENCE


def questions_to_answer(pieces: Sequence[Piece], parses: Sequence[Dict[str, Any]],
                        whole: Dict[str, Any]) -> List[Text]:
    """The pieces to answer one by one, in order; [] when the message should go through
    whole. `parses` are the pieces' parses, `whole` the whole message's."""
    if any(parse.get("entities") or (parse.get("intent") or {}).get("name") in AFTERCARE_INTENTS
           for parse in [*parses, whole]):
        return []  # a date for the aftercare timing: the whole message is needed
    chosen: List[Text] = []
    keys = set()
    for piece, parse in zip(pieces, parses):
        if not piece.asks:
            continue  # context ("I'm 52 and my lines bother me"), not a question
        key = _answer_key(parse) or ("out_of_scope" if _is_out_of_scope(parse) else None)
        if key and key not in keys:
            keys.add(key)
            chosen.append(piece.text)
    if not keys - {"out_of_scope"}:
        return []
    if len(chosen) >= 2:
        return chosen[:MAX_QUESTIONS]
    if _answer_key(whole) is None:
        return chosen  # one clear question inside a message that is unclear as a whole
    return []


def running_agent() -> Any:
    """The Rasa agent of this server (Rasa names its Sanic app after whether the HTTP API is on)."""
    for name in ("rasa_core_no_api", "rasa_server"):
        try:
            return Sanic.get_app(name).ctx.agent
        except (SanicException, AttributeError):
            continue
    return None


async def _parse_with_running_agent(text: Text) -> Dict[str, Any]:
    agent = running_agent()
    if agent is None:
        raise RuntimeError("no Rasa agent is running")
    return await agent.parse_message(text)


def _may_hide_one_question(text: Text) -> bool:
    """Markup or a long story around a question: worth reading the pieces even when only
    one of them asks something."""
    return len(text) > LONG_MESSAGE_CHARS or bool(re.search(_TAG, text))


async def _questions(text: Text, parse: Parse) -> List[Text]:
    """The questions to answer one by one, reading with the NLU only what can change that:
    nothing for a message of one piece (most messages), or of one question among plain
    statements ("I had it yesterday, what now?"), unless markup or length may hide it."""
    pieces = question_pieces(text)
    asking = [piece for piece in pieces if piece.asks]
    if not 2 <= len(pieces) <= MAX_PIECES or not asking:
        return []
    if len(asking) == 1 and not _may_hide_one_question(text):
        return []
    whole = await parse(text)
    if len(asking) == 1 and _answer_key(whole) is not None:
        return []  # clear as a whole: no need to read the piece
    return questions_to_answer(asking, [await parse(piece.text) for piece in asking], whole)


def one_turn_per_question(on_new_message: Handler, parse: Parse = _parse_with_running_agent) -> Handler:
    """Wrap Rasa's message handler: a message with several questions becomes one turn each."""

    async def handle(message: UserMessage) -> None:
        text = message.text or ""
        questions: List[Text] = []
        if not text.startswith("/"):
            try:
                questions = await _questions(text, parse)
            except Exception:
                logger.exception("Could not look for several questions; answering the message whole.")
        if not questions:
            await on_new_message(message)
            return
        for part, question in enumerate(questions):
            await on_new_message(UserMessage(
                question, message.output_channel, message.sender_id,
                input_channel=message.input_channel,
                metadata={**(message.metadata or {}), "split_from": text, "split_part": part},
            ))

    return handle
