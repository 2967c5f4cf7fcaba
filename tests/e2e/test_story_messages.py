"""Rasa's story test feeds each story its labelled intent, so it checks the dialogue,
not how the visitor's words are understood. This checks the words: every user
message in tests/stories/ must be parsed by the trained model as its story says,
down to the FAQ answer (faq/<key>) and the time entity."""

import asyncio
import re

import pytest
import yaml
from rasa.core.agent import Agent

from tests.harness.project import MODEL, PROJECT

STORY_FILES = sorted((PROJECT / "tests" / "stories").glob("*.yml"))


def story_messages():
    for path in STORY_FILES:
        for story in yaml.safe_load(path.read_text(encoding="utf-8"))["stories"]:
            for step in story["steps"]:
                if "user" in step:
                    yield pytest.param(step, id=f"{path.stem}: {step['user'].strip()[:50]}")


@pytest.fixture(scope="module")
def agent():
    return Agent.load(str(MODEL))


def strip_entity_markup(text: str) -> str:
    # "[yesterday](treatment_time)" -> "yesterday"
    return re.sub(r"\[([^\]]+)\]\([a-z_]+\)", r"\1", text).strip()


@pytest.mark.parametrize("step", story_messages())
def test_story_message_is_understood_as_labelled(agent, step):
    text = strip_entity_markup(step["user"])
    parsed = asyncio.run(agent.parse_message(text))
    intent = parsed["intent"]["name"]
    if intent == "faq":
        intent = parsed["response_selector"]["faq"]["response"]["intent_response_key"]
    assert intent == step["intent"], f"{text!r}: {parsed['intent']}"
    if "](treatment_time)" in step["user"]:
        assert [e["entity"] for e in parsed["entities"]] == ["treatment_time"], parsed["entities"]
