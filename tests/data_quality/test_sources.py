"""Every text the assistant can send is traceable to the guide (guide/sources.yml), says no
number the guide does not give, and fits a phone: three sentences a bubble, two bubbles a reply."""

import ast
import re
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest
import yaml

from actions import clinic
from actions.aftercare import aftercare_messages
from actions.consultation import INTRODUCTIONS, consultation_text
from actions.sources import GUIDE_FILE, KINDS_WITHOUT_QUOTES, load_sources, normalise, sent_texts, template_pattern
from tests.harness.project import FULL_CLINIC, GENERIC_CLINIC, project_responses

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_PACKAGES = ("actions", "connectors", "policies", "components")
SOURCES = load_sources()
GUIDE = normalise(GUIDE_FILE.read_text(encoding="utf-8"))
# The guide's advertisement (two sentences linking to a laser hair removal clinic) is not content.
ADVERT = re.search(r"If you're eager to learn more.*?laser hair removal.*?perspectives\.", GUIDE).group(0)


TEXTS = sent_texts(project_responses(), clinic.AFTERCARE, SOURCES, code_packages=PRODUCTION_PACKAGES)


def visitor_literals() -> Iterator[Tuple[str, int, str]]:
    """String literals of the production code that read like a message to a visitor: a
    capitalised phrase of two words or more, not a docstring, an error or a log line."""
    not_for_visitors = {
        "debug",
        "info",
        "warning",
        "error",
        "exception",
        "critical",
        "print",
        "exit",
        "add_argument",
        "ArgumentParser",
        "warn",
        "filterwarnings",
        "fail",
    }
    for package in PRODUCTION_PACKAGES:
        for path in sorted((ROOT / package).glob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
            docstrings = {
                id(node.body[0].value)
                for node in ast.walk(tree)
                if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                and ast.get_docstring(node) is not None
            }
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or id(node) in docstrings:
                    continue
                if not re.match(r"[A-Z]\S* \S", node.value.strip()):
                    continue
                parent, excluded = parents.get(node), False
                while parent is not None and not excluded:
                    called = getattr(parent, "func", None)
                    excluded = isinstance(parent, ast.Raise) or (
                        called is not None
                        and (getattr(called, "attr", None) or getattr(called, "id", None)) in not_for_visitors
                    )
                    parent = parents.get(parent)
                if not excluded:
                    yield f"{package}/{path.name}", node.lineno, node.value


def sentences(text: str) -> List[str]:
    text = re.sub(r"\{[^{}]*\}", "X", normalise(text))
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def test_the_guide_and_the_map_are_read():
    assert "collagen induction therapy" in GUIDE
    assert len(TEXTS) > 50 and len(SOURCES) > 50


def test_every_response_and_aftercare_text_has_an_entry():
    missing = sorted({key for _, key in TEXTS if key not in SOURCES})
    assert not missing, "guide/sources.yml has no entry for:\n" + "\n".join(missing)


def test_every_text_written_in_code_has_an_entry():
    mapped = [normalise(str(text)) for text, key in TEXTS if key.startswith("code:")]
    missing = [
        f"{where}:{line}: {text!r}"
        for where, line, text in visitor_literals()
        if not any(template_pattern(text).fullmatch(value) or normalise(text) == value for value in mapped)
    ]
    assert not missing, (
        "texts written in code with no entry under `code:` in guide/sources.yml "
        "(name them as module constants):\n" + "\n".join(missing)
    )


def test_every_entry_is_a_text_that_exists():
    existing = {key for _, key in TEXTS}
    stale = sorted(set(SOURCES) - existing)
    assert not stale, "guide/sources.yml lists texts that no longer exist:\n" + "\n".join(stale)


@pytest.mark.parametrize("source", list(SOURCES.values()), ids=lambda source: source.key)
def test_entry_quotes_the_guide_word_for_word(source):
    assert source.kind == "guide" or source.kind in KINDS_WITHOUT_QUOTES, f"unknown kind {source.kind}"
    if source.kind == "guide":
        assert source.quotes, "a `guide:` entry needs at least one quote"
    for quote in source.quotes:
        assert quote in GUIDE, f"not in the guide: {quote!r}"
        assert quote not in ADVERT, f"quotes the guide's advertisement: {quote!r}"


# Whole phrases: "for a day" is not "within a day or two", "a week" is not "a few weeks".
NUMBER_OR_DURATION = re.compile(
    r"\b(?:(?:a|one)\s+day\s+or\s+two|(?:a\s+)?(?:few|couple\s+of|several)\s+"
    r"(?:hours|days|weeks|months|years|sessions|treatments)"
    r"|(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a|an)\s+"
    r"(?:hours?|days?|weeks?|months?|years?|sessions|treatments|minutes?|mm)|\d+(?:[.,]\d+)?)\b",
    re.IGNORECASE,
)


def durations(text: str) -> set:
    return {" ".join(found.group(0).lower().split()) for found in NUMBER_OR_DURATION.finditer(text)}


def test_durations_are_compared_as_whole_phrases():
    assert durations("for a day") == {"a day"}
    assert durations("typically subsides within a day or two") == {"a day or two"}
    assert durations("for a few days after") == {"a few days"}


# Durations about the assistant itself (when to try again), not about microneedling: no
# quote can support them.
ABOUT_THE_ASSISTANT = {
    "code:connectors.apology.APOLOGY": {"a minute"},  # "Please try again in a minute."
}


@pytest.mark.parametrize("text, key", TEXTS, ids=[f"{key}:{i}" for i, (_, key) in enumerate(TEXTS)])
def test_numbers_and_durations_come_from_a_quote(text, key):
    source = SOURCES[key]
    if source.kind == "clinic":
        return  # the clinic's own details, from its settings
    # Fields filled in later ({days}) and examples of what to type ("in 3 days") claim nothing.
    claims = re.sub(r"\{[^{}]*\}|\"[^\"]*\"", " ", str(text))
    unsupported = durations(claims) - durations(" ".join(source.quotes)) - ABOUT_THE_ASSISTANT.get(key, set())
    assert not unsupported, f"{key}: {sorted(unsupported)} in no quote of its entry"


@pytest.mark.parametrize("text, key", TEXTS, ids=[f"{key}:{i}" for i, (_, key) in enumerate(TEXTS)])
def test_each_text_is_three_sentences_at_most(text, key):
    assert len(sentences(str(text))) <= 3, f"{key}: {sentences(str(text))}"


def built_replies() -> Iterator[Tuple[str, List[str]]]:
    now = datetime(2026, 11, 28, 10, tzinfo=timezone.utc)
    for days in range(-3, 40):
        treatment = date.fromordinal(now.date().toordinal() - days)
        yield f"aftercare day {days}", aftercare_messages(treatment, days < 0, now, clinic.AFTERCARE)
    yield "aftercare today, ahead", aftercare_messages(now.date(), True, now, clinic.AFTERCARE)
    yield "aftercare, no date", aftercare_messages(None, False, now, clinic.AFTERCARE)
    yield "aftercare, upcoming without a day", aftercare_messages(None, True, now, clinic.AFTERCARE)
    for settings in (FULL_CLINIC, GENERIC_CLINIC):
        for intent, introduction in [*INTRODUCTIONS.items(), ("default", "default")]:
            texts = (
                [consultation_text(settings)] if intent == "default" else [consultation_text(settings, introduction)]
            )
            yield f"consultation {intent} ({settings.name})", texts


@pytest.mark.parametrize(
    "name, messages", list(built_replies()), ids=lambda value: value if isinstance(value, str) else ""
)
def test_built_replies_fit_a_phone(name, messages):
    assert 1 <= len(messages) <= 2, messages
    for message in messages:
        assert len(sentences(message)) <= 3, sentences(message)


def test_button_titles_ask_rather_than_claim():
    # Buttons that send a question as text; "/affirm" and "/deny" answer one ("👍 Yes").
    titles = [
        button["title"]
        for variations in project_responses().values()
        for variation in variations
        for button in variation.get("buttons") or []
        if not button["payload"].startswith("/")
    ]
    topics = yaml.safe_load((ROOT / "actions" / "faq_topics.yml").read_text(encoding="utf-8"))["topics"]
    not_questions = [title for title in [*titles, *topics.values()] if not title.rstrip().endswith("?")]
    assert titles and not not_questions, not_questions
