"""One answer per question: a message that asks two things ("does it hurt and how long
will I be red?") becomes one turn per question, answered in order.

Rasa classifies a whole message into one intent, so such a message got one answer and the
other question was lost. Here the message is cut at sentence ends (an emoji ends one too),
HTML tags (not those of a word in bold or a link), numbered questions ("1) ... 2) ..."), a
colon before a question and conjunctions or slashes that start a new question ("and how",
", also can", "? + what", " / who"; not a statement going on with "has" or "have", "my son
is 15 and has acne scars", nor "between A and B"). A topic of a few words joined to a
question ("fine lines + does it hurt?"), a short afterthought after one ("does it help
scars? and also my pores") and what is not understood ("i don't get what it is") ask too;
"pores 🙈 does it help?" asks one thing, and a question after a greeting, "please" or "kindly
advise" is still a question. Each piece is read by the assistant's own NLU, and
only when at least two pieces are clear questions about different things (a guide answer
picked with confidence, or a question the guide does not cover, beside at least one guide
answer) does each go through Rasa as its own turn. Pieces not worded as questions are
context and get no answer of their own; one clear question inside a message that is unclear
as a whole (a long story ending in the question, markup around it) goes through alone.
Everything else (one question, a date for the aftercare timing) goes through whole, as
before.

A question unclear alone is read again with the statement just before it ("my stretch
marks are bad, can it help them"), or else with "it" read as the treatment ("what is it,
and does it work"); two things asked about together ("pores + wrinkles, does it help
both?") are two questions; a date inside a question the guide answers ("still
red on day 6, is that normal?") asks for no aftercare timing, so it does not stop the cut.

Beside a clear question, a piece whose answer is picked with near certainty counts too,
however unsure its intent, and so does one whose answer is likely when the guide's
answers are its likeliest intent: "what aftercare is there" alone is read as the
aftercare timing (which asks for the date), but next to "can I exfoliate" it asks for the
guide's aftercare; "how far apart are they" after "how many sessions?" asks for the
spacing. Each turn keeps the channel's metadata and adds `split_from`, the message as
the visitor wrote it, `split_part`, the question's place in it (0, 1, ...), and
`split_answer`, what it was cut for ("faq/<key>" or "out_of_scope"), which
`components.faq_guard` holds the turn to. A visitor's own `split_*` metadata is dropped.

The channels in this package wrap Rasa's message handler with `one_turn_per_question`.
"""

import logging
import re
from typing import Any, Awaitable, Callable, Dict, List, NamedTuple, Optional, Sequence, Text, Tuple

from rasa.core.channels.channel import UserMessage
from sanic import Sanic
from sanic.exceptions import SanicException

from components.intents import (
    AFTERCARE_ANSWER_KEYS,
    AFTERCARE_INTENTS,
    CLEAR_INTENT_CONFIDENCE,
    OUT_OF_SCOPE_INTENT,
    RETRIEVAL_INTENT,
    clear_guide_answer,
)
from components.markup import MARKUP_TAG
from connectors.apology import Handler

logger = logging.getLogger(__name__)

Parse = Callable[[Text], Awaitable[Dict[Text, Any]]]

# Words a new question starts with ("and how long ...", "also, can I ...").
QUESTION_OPENERS = (
    "how",
    "what",
    "whats",
    "what's",
    "when",
    "where",
    "why",
    "who",
    "whos",
    "who's",
    "hows",
    "how's",
    "which",
    "is",
    "are",
    "does",
    "do",
    "did",
    "can",
    "could",
    "will",
    "would",
    "should",
    "am",
    "any",
    "has",
    "have",
    "r",
    "wat",
    "wot",
    "wots",
    "hw",
    "cn",
    "wht",
    "wats",
    "wil",
    "wud",
    "cud",
    "shud",
)
_OPENER = r"(?:" + "|".join(re.escape(word) for word in QUESTION_OPENERS) + r")\b"
# Sentence ends, line breaks, HTML tags and numbered questions ("1) ... 2) ...", "1. ...? 2. ...")
# always cut. "I'm 66. Will it help" is no list. The tags of words within a sentence (bold,
# italics, a link) do not: "how long does the <b>redness</b> last?" asks one thing.
_WORDS_TAG = r"</?(?:a|abbr|b|cite|code|em|font|i|mark|q|s|small|span|strong|sub|sup|u)\b"
_LIST_MARKER = r"(?:\s*(?<!\S)\d{1,2}\)|(?:^|(?<=[:?]))\s*\d{1,2}\.)\s+(?=" + _OPENER + r")"
# Emoji (symbols, dingbats, arrows and stars, flags, pictographs; the variation selector
# after one): before a question word one ends a sentence ("getting married in the fall 💍
# does it ..."), not inside one ("I ❤️ microneedling").
_EMOJI = "\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff\ufe0f\U0001f1e6-\U0001f1ff\U0001f300-\U0001faff"
_HARD_BREAK = re.compile(
    _LIST_MARKER
    + r"|(?<=[?!.;])\s+|(?<=["
    + _EMOJI
    + r"])\s+(?="
    + _OPENER
    + r")|(?<=[?!])(?=[^\s?!])|(?<=:)\s+(?="
    + _OPENER
    + r")|\n+|(?!"
    + _WORDS_TAG
    + r")"
    + MARKUP_TAG,
    re.IGNORECASE,
)
# Words that may come before a question without changing it ("and roughly how many ..."),
# when a question word follows: "and just have it done" is no question.
_HEDGE = r"(?:also|roughly|specifically|just|btw|then|honestly|generally|in\s+general|overall)\s+(?=(?:how|what|whats|what's|when|where|why|who|which|does|do|is|are)\b(?!'))"
# "and whether the redness lasts" asks; "whether it hurts or not" does not.
_ASKS_WHETHER = r"whether\b(?![^,.;?!]*\bor not\b)"
# Words that join a clause to the one before.
_JOINING_WORDS = r"and|also|plus|&|\+|n|but"
# A conjunction cuts only where a question starts after it ("and how", "also can", "+ how"),
# and so does a slash ("how many sessions / how far apart"; "smile lines / laugh lines" is one).
_SOFT_BREAK = re.compile(
    r"(?:,\s*|\s+)(?:and|also)\s+(?=" + _ASKS_WHETHER + r")|"
    r"(?:,\s*|\s+)(?:"
    + _JOINING_WORDS
    + r")\s+(?:also\s+|"
    + _HEDGE
    + r")?(?="
    + _OPENER
    + r")|,\s*(?="
    + _OPENER
    + r")|\s+/\s*(?="
    + _OPENER
    + r")|\s+(?=(?:is|isn'?t)\s+(?:that|this|it)\s+(?:normal|ok|okay|alright|fine|common|expected)\b)",
    re.IGNORECASE,
)
TREATMENT = "microneedling"
# A person or "it" after "and" starts a statement ("... and I do"), not a thing asked about.
_PRONOUN = r"i|i'm|im|me|it|we|you|they|he|she"
# "does it help acne scars and pores?": "pores" is asked about too (not "... and I do", nor
# how long the first applies: "and until when", nor two things asked about together:
# "fillers and microneedling on the same day").
_SHORT_CONJUNCT = re.compile(
    r"^(?P<head>.+?)\s+(?:and|&|\+|plus)\s+(?:what about\s+|also\s+)?(?:with\s+|for\s+|on\s+)?"
    r"(?!(?:" + _PRONOUN + r"|until|till|til|untill)\b)"
    r"(?!.*\b(?:together|same (?:day|week|month|time|session|visit|appointment)|at once|combined)\W*$)"
    r"(?P<tail>\w+(?:\s+\w+){0,5})\W*$",
    re.IGNORECASE,
)
# After a statement, "has" or "have" with no subject after it goes on with the statement ("my
# son is 15 and has acne scars", "I'm 67 and have a few lines"); a question puts a subject
# after it ("... and has it worked", "and have you"), or ends with a question mark.
_POSSESSION_GOES_ON = re.compile(
    r"^(?:has|have)\b(?!\s+(?:"
    + _PRONOUN
    + r"|its|it's|u|ya|this|that|these|those|there|any\w*|some\w*|every\w*|people|my|your|ur|their|our|the|"
    + TREATMENT
    + r")\b)(?!.*\?\s*$)",
    re.IGNORECASE,
)
_JOINED_BY_A_WORD = re.compile(r"(?:^|[\s,])(?:" + _JOINING_WORDS + r")(?:\s|$)", re.IGNORECASE)
# "between A and B" is one thing asked about.
_BETWEEN = re.compile(r"\bbetween\s+(?:\S+\s+){0,3}\S+\s*$", re.IGNORECASE)
# A greeting, "please" or "kindly advise" before a question word: "please brother what is
# microneedling", "Kindly advise who will do the procedure", "hi how deep does it go".
_COURTESY = (
    r"(?:(?:hi|hello|hey|hiya|please|pls|plz|kindly(?:\s+(?:advise|tell\s+me|let\s+me\s+know|clarify))?"
    r"|excuse\s+me|sorry|sir|madam|ma'?am|brother|sister|bro|sis|mate|guys|dear\s+\w+)\b[\s,:!-]*){1,3}"
    r"(?=" + _OPENER + r")"
)
# "and", "so", "quick q" before a question add nothing to it, nor does courtesy.
_LEADING_FILLER = re.compile(
    r"^(?:\d{1,2}[.)]\s+)?"
    r"(?:(?:(?:and|also|plus|but|so|oh|ok|okay|quick\s+q(?:s|uestions?)?)\b|[+&])[\s,:-]*){0,3}"
    r"(?:" + _COURTESY + r")?(?:" + _HEDGE + r")?",
    re.IGNORECASE,
)
# "two things: does it ...": a lead-in before the question. Not a dash: "loved it - would
# recommend" is no question.
_LEAD_IN = re.compile(r"^[^?:]{1,30}:\s*(?=" + _OPENER + r")", re.IGNORECASE)
# A question after a dash, about something: "stretch marks on my hips - does it work on them".
_DASHED_QUESTION = re.compile(
    r"\s[-\u2013\u2014]+\s*" + _OPENER + r"\s+(?:it|i|you|u|they|this|that|there|we|my|the)\b", re.IGNORECASE
)
# A question asked for someone, wondered about or not understood: "my bf wants to know does it
# hurt", "i still dont get what it is".
_REPORTED_QUESTION = re.compile(
    r"\b(?:(?:want|wants|wanted|wanna|like|need|needs)\s+to\s+know|wondering|wonder|wondered|curious)\s+"
    r"(?:(?:if|whether)\b|" + _OPENER + r")"
    r"|\b(?:don[’']?t|do not|never|can[’']?t)\s+(?:really\s+|actually\s+|fully\s+|quite\s+)?"
    r"(?:get|understand|understood|see)\s+(?:what|how|why|when|where|which|who|if|whether)\b",
    re.IGNORECASE,
)
# A short question that points back at the statement before it ("..., is that ok?", "normal?").
_POINTS_BACK = re.compile(
    r"^(?:(?:is|was|isn'?t)\s+)?(?:(?:that|this|it)(?:'?s)?\s+)?(?:normal|ok|okay|alright|fine|bad|common|expected|"
    r"a problem|a concern|worrying|something to worry about)\W*$",
    re.IGNORECASE,
)

# "fine lines + does it hurt?": a topic of one to three words joined to a question is asked
# about too (not "I'm 45", "hi", "lifeguard here ☀️", nor a lead-in such as "two things:").
_TOPIC_HEAD = re.compile(
    r"^(?!.*\b(?:i|i'?m|im|me|my|we|you|u|hi|hello|hey|thanks?|thx|ty|lol|perfect|great|cool|nice|good|"
    r"yes|yeah|yep|no|nope|sure|right|alright|hmm+|um+)\b)\w+(?:[\s-]+\w+){0,2}[^\w:.]*$",
    re.IGNORECASE,
)
# Words that add to the question before ("... ? and also my pores"; not "... ? and I'm nervous",
# "and thanks!").
_AFTERTHOUGHT = re.compile(
    r"^(?:(?:and|also|plus)\b|[+&])[\s,]*(?:also\b[\s,]*)?"
    r"(?![\s,]|(?:" + _PRONOUN + r"|thanks?|thx|ty|ok|okay|lol|cool)\b)",
    re.IGNORECASE,
)
# "pores 🙈 does it help?": one question about the topic before it.
_ASKS_ABOUT_THE_TOPIC = re.compile(
    r"^(?:does|will|would|can|could|is)\s+(?:it|this|" + TREATMENT + r")\s+(?:\w+\s+)?"
    r"(?:help|work|do anything|any good|good|fix)(?:\s+(?:for|with|on)\s+(?:it|them|that|those|this))?\W*$",
    re.IGNORECASE,
)
# "pores + wrinkles, does it help both?": each of the two things is asked about.
_BOTH = re.compile(
    r"^" + _OPENER + r".{0,30}\b(?:both|either|each|them)(?:\s+of\s+(?:these|those|them))?\W*$", re.IGNORECASE
)
_PAIR = re.compile(
    r"^(?P<first>\w+(?:\s+\w+){0,3})\s*(?:\band\b|\+|&|\bor\b)\s*(?P<second>\w+(?:\s+\w+){0,3})$", re.IGNORECASE
)

# In a question unclear alone, "it" most likely stands for the treatment ("what is it").
_TREATMENT_PRONOUN = re.compile(r"\bit\b(?!['’])", re.IGNORECASE)

MAX_QUESTIONS = 3
# A longer message is read whole: each piece costs an NLU pass (about 8 ms).
MAX_PIECES = 6
# Longer than this, a message with one question in it may be a story ending in the question.
LONG_MESSAGE_CHARS = 120
# Beside such a clear question, a piece counts with this sure a pick, whatever its intent,
# or with a likely pick when the guide's answers are still its likeliest intent ("how far
# apart are they" after "how many sessions?").
SURE_ANSWER_CONFIDENCE = 0.95
LIKELY_ANSWER_CONFIDENCE = 0.7
SPLIT_KEYS = ("split_from", "split_part", "split_answer")
_AFTERCARE_ANSWERS = {f"{RETRIEVAL_INTENT}/{key}" for key in AFTERCARE_ANSWER_KEYS}


class Piece(NamedTuple):
    text: Text
    asks: bool  # worded as a question, or the short second half of one ("... and pores")


class Question(NamedTuple):
    text: Text
    answer: Text  # "faq/<key>", or "out_of_scope"


def _clean(piece: Text) -> Text:
    return _LEADING_FILLER.sub("", piece.strip(" ,-/\t")).strip(" ,-/\t")


# A request to be told something asks as a question does: "walk me through the appointment"
# (a bare "explain pls" after a question only asks for that question's answer).
_REQUEST = re.compile(
    r"(?:(?:please|pls|plz|can\s+you|could\s+you)\s+)?"
    r"(?:tell\s+me|explain|describe|walk\s+me\s+through|talk\s+me\s+through)"
    r"\s+(?!(?:pls|please|plz|more|it|that|this|thx|thanks)\b)\w",
    re.IGNORECASE,
)


# A worry told asks as a question does: "still red on day 6, which is worrying me".
_WORRY = re.compile(
    r"\b(?:(?:is|it's|its|which is|that's|thats)\s+)?(?:worrying|concerning|scaring)\s+me\b"
    r"|\bi'?m\s+(?:worried|concerned|panicking)\b",
    re.IGNORECASE,
)


def _looks_like_a_question(piece: Text) -> bool:
    return piece.rstrip().endswith("?") or bool(
        re.match(_OPENER, piece, re.IGNORECASE)
        or re.match(_ASKS_WHETHER, piece, re.IGNORECASE)
        or _WORRY.search(piece)
        or _REQUEST.match(piece)
        or _LEAD_IN.match(piece)
        or _DASHED_QUESTION.search(piece)
        or _REPORTED_QUESTION.search(piece)
    )


def _joined(statement: Text, question: Text) -> Text:
    return f"{statement} {question}" if re.search(r"[.!?;:" + _EMOJI + r"]$", statement) else f"{statement}, {question}"


def _clauses(sentence: Text) -> List[Text]:
    """The sentence cut where a new question may start, except where a statement goes on."""
    clauses: List[Text] = []
    after_a_statement = False
    separator = ""
    start = 0
    for match in [*_SOFT_BREAK.finditer(sentence), None]:
        clause = sentence[start : match.start() if match else len(sentence)]
        if after_a_statement and _JOINED_BY_A_WORD.search(separator) and _POSSESSION_GOES_ON.match(clause):
            clauses[-1] += separator + clause
        else:
            clauses.append(clause)
            after_a_statement = not _looks_like_a_question(_clean(clause))
        if match:
            separator, start = match.group(0), match.end()
    return clauses


def question_pieces(text: Text) -> List[Piece]:
    """The message cut where a new question may start; pieces without words are dropped."""
    pieces: List[Piece] = []
    for sentence in _HARD_BREAK.split(text or ""):
        for clause in _clauses(sentence or ""):
            raw = clause.strip(" ,-\t")  # "ok?" before "ok" is dropped as filler
            points_back = _POINTS_BACK.match(raw) if _looks_like_a_question(raw) else None
            clause = _clean(clause)
            asks = _looks_like_a_question(clause) or bool(
                # "does it help scars? and also my big pores": a short afterthought asks too
                _AFTERTHOUGHT.match(raw) and pieces and pieces[-1].asks and len(clause.split()) <= 5
            )
            short = _SHORT_CONJUNCT.match(clause) if asks else None
            if (
                short
                and _looks_like_a_question(short["head"])
                and not re.match(_OPENER, short["tail"], re.IGNORECASE)
                and not _BETWEEN.search(short["head"])
            ):
                pieces.extend([Piece(_clean(short["head"]), True), Piece(_clean(short["tail"]), True)])
            elif asks and _BOTH.match(clause) and pieces and not pieces[-1].asks and _PAIR.match(pieces[-1].text):
                pair = _PAIR.match(pieces.pop().text)
                pieces.extend([Piece(pair["first"], True), Piece(pair["second"], True)])
            elif points_back and pieces and not pieces[-1].asks:
                pieces[-1] = Piece(_joined(pieces[-1].text, points_back.group(0).strip(" ,-\t")), True)
            elif clause:
                pieces.append(Piece(clause, asks))
    pieces = [piece for piece in pieces if re.search(r"\w", piece.text)]
    if len(pieces) >= 2 and not pieces[0].asks and pieces[1].asks and _TOPIC_HEAD.match(pieces[0].text):
        if _ASKS_ABOUT_THE_TOPIC.match(pieces[1].text):
            pieces[:2] = [Piece(_joined(pieces[0].text, pieces[1].text), True)]
        elif re.match(r"\W*" + re.escape(pieces[0].text) + r"\s*(?:[+&]|and\b|plus\b)", text, re.IGNORECASE):
            pieces[0] = Piece(pieces[0].text, True)
    return pieces


def _pick(parse: Dict[str, Any]) -> Dict[str, Any]:
    """The ResponseSelector's pick in a parse (intent_response_key, confidence), or {}."""
    return ((parse.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}).get("response") or {}


def _picked(parse: Dict[str, Any], min_confidence: float) -> Optional[Text]:
    response = _pick(parse)
    return response.get("intent_response_key") if response.get("confidence", 0) >= min_confidence else None


def _intent(parse: Dict[str, Any]) -> Tuple[Optional[Text], float]:
    intent = parse.get("intent") or {}
    return intent.get("name"), intent.get("confidence", 0)


def _answer_key(parse: Dict[str, Any]) -> Optional[Text]:
    """The guide answer the parse picks with confidence, or None."""
    return clear_guide_answer(parse.get("intent") or {}, _pick(parse))


def _loose_answer_key(parse: Dict[str, Any]) -> Optional[Text]:
    """The answer picked with near certainty under an intent that is not a sure other one
    (an aftercare question without a date counts: its words ask for the guide's aftercare)."""
    name, confidence = _intent(parse)
    if name == RETRIEVAL_INTENT:
        return _picked(parse, LIKELY_ANSWER_CONFIDENCE)
    if name not in AFTERCARE_INTENTS and confidence >= CLEAR_INTENT_CONFIDENCE:
        return None
    return _picked(parse, SURE_ANSWER_CONFIDENCE)


def _is_out_of_scope(parse: Dict[str, Any]) -> bool:
    name, confidence = _intent(parse)
    return name == OUT_OF_SCOPE_INTENT and confidence >= CLEAR_INTENT_CONFIDENCE


def _dates_belong_to_guide_questions(
    pieces: Sequence[Piece], parses: Sequence[Dict[str, Any]], whole: Dict[str, Any]
) -> bool:
    """Whether every date of the message is part of a question the guide answers ("still red
    on day 6, is that normal?"), so no aftercare timing is asked for."""
    dated = [entity.get("value") or "" for entity in whole.get("entities") or []]
    dated += [entity.get("value") or "" for parse in parses for entity in parse.get("entities") or []]
    return all(
        any(value in piece.text and _answer_key(parse) for piece, parse in zip(pieces, parses)) for value in dated
    )


def questions_to_answer(
    pieces: Sequence[Piece], parses: Sequence[Dict[str, Any]], whole: Dict[str, Any]
) -> List[Question]:
    """The pieces to answer one by one, in order, each with what it asks; [] when the
    message should go through whole. `parses` are the pieces' parses, `whole` the whole
    message's."""
    answers = [_answer_key(parse) for parse in parses]
    asks_aftercare = any(_intent(parse)[0] in AFTERCARE_INTENTS for parse in [*parses, whole])
    asks_what_to_do_after = any(answer in _AFTERCARE_ANSWERS for answer in answers)
    # A date in a message read neither as the aftercare timing nor as asking what to do
    # after a treatment is the story's ("since my twins were born 8 years ago").
    if (asks_aftercare or asks_what_to_do_after) and not _dates_belong_to_guide_questions(pieces, parses, whole):
        return []  # a date for the aftercare timing: the whole message is needed
    clear = [
        answer or (OUT_OF_SCOPE_INTENT if _is_out_of_scope(parse) else None) for answer, parse in zip(answers, parses)
    ]
    beside_a_clear_answer = any(key and key != OUT_OF_SCOPE_INTENT for key in clear)
    chosen: List[Question] = []
    for piece, parse, key in zip(pieces, parses, clear):
        if not piece.asks:
            continue  # context ("I'm 52 and my lines bother me"), not a question
        key = key or (_loose_answer_key(parse) if beside_a_clear_answer else None)
        if key and key not in {question.answer for question in chosen}:
            chosen.append(Question(piece.text, key))
    if len(chosen) >= 2 and beside_a_clear_answer:
        return chosen[:MAX_QUESTIONS]
    if (
        len(chosen) == 1
        and chosen[0].answer != OUT_OF_SCOPE_INTENT
        and _answer_key(whole) is None
        and not asks_aftercare
    ):
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


async def parse_with_running_agent(text: Text) -> Dict[str, Any]:
    agent = running_agent()
    if agent is None:
        raise RuntimeError("no Rasa agent is running")
    return await agent.parse_message(text)


def _may_hide_one_question(text: Text) -> bool:
    """Markup or a long story around a question: worth reading the pieces even when only
    one of them asks something."""
    return len(text) > LONG_MESSAGE_CHARS or bool(re.search(MARKUP_TAG, text))


async def _questions(text: Text, parse: Parse) -> List[Question]:
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
    read: List[Tuple[Piece, Dict[str, Any]]] = []
    for before, piece in zip([None, *pieces], pieces):
        if not piece.asks:
            continue
        reading = await parse(piece.text)
        if len(asking) > 1 and before is not None and not before.asks and _answer_key(reading) is None:
            # "my stretch marks are bad, can it help them": read with what it points back to
            with_context = Piece(_joined(before.text, piece.text), True)
            context_reading = await parse(with_context.text)
            if _answer_key(context_reading) is not None:
                piece, reading = with_context, context_reading
        if len(asking) > 1 and _answer_key(reading) is None and _TREATMENT_PRONOUN.search(piece.text):
            # "what is it, and does it work": the treatment, most likely
            named = Piece(_TREATMENT_PRONOUN.sub(TREATMENT, piece.text, count=1), True)
            named_reading = await parse(named.text)
            if _answer_key(named_reading) is not None:
                piece, reading = named, named_reading
        read.append((piece, reading))
    return questions_to_answer([piece for piece, _ in read], [reading for _, reading in read], whole)


def one_turn_per_question(on_new_message: Handler, parse: Parse = parse_with_running_agent) -> Handler:
    """Wrap Rasa's message handler: a message with several questions becomes one turn each."""

    async def handle(message: UserMessage) -> None:
        text = message.text or ""
        if any(key in (message.metadata or {}) for key in SPLIT_KEYS):
            message.metadata = {key: value for key, value in message.metadata.items() if key not in SPLIT_KEYS}
        questions: List[Question] = []
        if not text.startswith("/"):
            try:
                questions = await _questions(text, parse)
            except Exception:
                logger.exception("Could not look for several questions; answering the message whole.")
        if not questions:
            await on_new_message(message)
            return
        for part, question in enumerate(questions):
            await on_new_message(
                UserMessage(
                    question.text,
                    message.output_channel,
                    message.sender_id,
                    input_channel=message.input_channel,
                    metadata={
                        **(message.metadata or {}),
                        "split_from": text,
                        "split_part": part,
                        "split_answer": question.answer,
                    },
                )
            )

    return handle
