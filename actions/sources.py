"""Where each text the assistant sends comes from, and "where does it say that?".

guide/sources.yml maps every text the assistant can send (domain responses, the
aftercare wording of settings/aftercare_phases.yml, texts written in code) to the
guide sentences it rests on, or marks it as one that states nothing about
microneedling: `decline` (the guide does not cover it), `smalltalk`, `interface`
(how to use the assistant) or `clinic` (the clinic's own details from its settings).
tests/data_quality/test_sources.py checks the map against the guide; the action here
quotes it to a visitor who asks where an answer comes from.
"""

import importlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Text, Tuple

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import clinic
from actions.settings import PROJECT_ROOT, AftercareSchedule

GUIDE_FILE = PROJECT_ROOT / "guide" / "microneedling-guide.txt"
SOURCES_FILE = PROJECT_ROOT / "guide" / "sources.yml"
KINDS_WITHOUT_QUOTES = ("decline", "smalltalk", "interface", "clinic")

QUOTE_INTRODUCTION = "The guide says: “{quote}”"
NOTHING_TO_QUOTE = (
    "My last message wasn't from the guide, so there's no passage to show. Ask me about "
    "microneedling and I can show you where the answer comes from."
)
NOT_COVERED = "The guide doesn't cover that, so there's no passage I can show you."
# A bubble a visitor reads on a phone: at most this many quoted sentences.
MAX_QUOTES = 2


@dataclass(frozen=True)
class Source:
    key: str  # "responses:utter_faq/aftercare", "aftercare:phases.second_week.now", "code:actions.x.NAME"
    kind: str  # "guide" or one of KINDS_WITHOUT_QUOTES
    quotes: Tuple[str, ...] = ()


def normalise(text: str) -> str:
    """Compared without typographic quotes or line breaks."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.split())


def load_sources(path: Path = SOURCES_FILE) -> Dict[str, Source]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    sources = {}
    for section in ("responses", "aftercare", "code"):
        for name, value in (data.get(section) or {}).items():
            key = f"{section}:{name}"
            if isinstance(value, str):
                sources[key] = Source(key, value)
            else:
                sources[key] = Source(key, "guide", tuple(normalise(q) for q in (value or {}).get("guide") or ()))
    return sources


def code_text(dotted_name: str) -> Any:
    """A text written in code, by module and name ("actions.clarify.DID_YOU_MEAN");
    a further part picks a dictionary entry ("actions.consultation.INTRODUCTIONS.book_consultation")."""
    parts = dotted_name.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            value: Any = importlib.import_module(".".join(parts[:split]))
        except ModuleNotFoundError:
            continue
        for part in parts[split:]:
            value = value[part] if isinstance(value, dict) else getattr(value, part)
        return value
    raise LookupError(dotted_name)


def sent_texts(
    responses: Dict[str, Any],
    schedule: AftercareSchedule,
    sources: Dict[str, Source],
    code_packages: Tuple[str, ...] = ("actions",),
) -> List[Tuple[str, str]]:
    """(text, source key) for every text the assistant can send, of the code in
    code_packages (the action server does not load the channels' code). Texts written in
    code are templates: "{...}" stands for what is filled in."""
    texts = []
    for name, variations in responses.items():
        for variation in variations or []:
            if variation.get("text"):
                texts.append((variation["text"], f"responses:{name}"))
    for phase in schedule.phases:
        texts.append((phase.now, f"aftercare:phases.{phase.name}.now"))
        texts.append((phase.next, f"aftercare:phases.{phase.name}.next"))
    texts.append((schedule.upcoming, "aftercare:upcoming"))
    texts.append((schedule.general, "aftercare:general"))
    for key in sources:
        name = key[len("code:") :]
        if key.startswith("code:") and name.split(".")[0] in code_packages:
            texts.append((code_text(name), key))
    return texts


def template_pattern(template: str) -> "re.Pattern[str]":
    """A text written as a template, with any filling for its "{...}" fields."""
    parts = re.split(r"\{[^{}]*\}", normalise(template))
    return re.compile(".+?".join(re.escape(part) for part in parts), re.DOTALL)


def sources_in(message: str, texts: Iterable[Tuple[str, str]], sources: Dict[str, Source]) -> List[Source]:
    """The sources of the known texts a sent message contains, longest text first."""
    message = normalise(message)
    found = []
    for text, key in sorted(texts, key=lambda item: -len(item[0])):
        if template_pattern(text).search(message) and key in sources and sources[key] not in found:
            found.append(sources[key])
    return found


def source_reply(previous_answer: List[str], texts: List[Tuple[str, str]], sources: Dict[str, Source]) -> str:
    """What to say to "where does it say that?" after the given bot messages."""
    found = [source for message in previous_answer for source in sources_in(message, texts, sources)]
    quotes: List[str] = []
    for source in found:
        quotes += [quote for quote in source.quotes if quote not in quotes]
    if quotes:
        return QUOTE_INTRODUCTION.format(quote=" … ".join(quotes[:MAX_QUOTES]))
    if any(source.kind == "decline" for source in found):
        return NOT_COVERED
    return NOTHING_TO_QUOTE


def previous_answer(events: List[Dict[str, Any]], asking_intent: str) -> List[str]:
    """The bot's messages of the latest turn before the visitor asked for the source."""
    turns: List[List[str]] = [[]]
    asked_source = False
    for event in events:
        if event.get("event") == "user":
            asked_source = ((event.get("parse_data") or {}).get("intent") or {}).get("name") == asking_intent
            if not asked_source:
                turns.append([])
        elif event.get("event") == "bot" and event.get("text") and not asked_source:
            turns[-1].append(event["text"])
    answered = [turn for turn in turns if turn]
    return answered[-1] if answered else []


SOURCES = load_sources()


class ActionShowSource(Action):
    def name(self) -> Text:
        return "action_show_source"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        texts = sent_texts(domain.get("responses") or {}, clinic.AFTERCARE, SOURCES)
        answer = previous_answer(tracker.events, asking_intent="ask_source")
        dispatcher.utter_message(text=source_reply(answer, texts, SOURCES))
        return []
