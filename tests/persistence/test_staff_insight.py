"""`scripts/conversations.py candidates` and `report` on a store filled by real
conversations through the real servers: what visitors asked, what failed, and the
failures back as NLU training data to label."""

import json
import uuid
from collections import Counter

import pytest
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from bench.report_load import copy_conversations, run_report
from scripts import insight
from tests.harness.conversations import stored_events
from tests.harness.processes import conversations_script, running_assistant

# The model is unsure of it (other made-up words, "qwertyuiop?", "zzgrb flumph", read as out of scope).
UNCLEAR = "lkjh?"
DECLINED = "How much does a session cost?"
# Not "call me on ...": that asks for a callback, and only declined or unclear messages are candidates.
DECLINED_WITH_CONTACTS = "how much is a session? 07700 900123, jo@example.com"
ANSWERED = "What is microneedling?"


SCRIPT_MESSAGE = "<script>alert(1)</script> what is it"
SENT = (
    UNCLEAR,
    DECLINED,
    DECLINED,
    DECLINED_WITH_CONTACTS,
    ANSWERED,
    ANSWERED,
    SCRIPT_MESSAGE,
    "I had microneedling 2 days ago, what now?",
)
# Two conversations that rate their first answer: 👎 (the button) and "yes" (words).
RATED_DOWN = ("how far do the needles go in", "/deny")
RATED_UP = ("does it hurt", "yes")


def cli(endpoints, *args):
    result = conversations_script(endpoints, *args)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The endpoints of a store that real conversations went into, one per message sent."""
    tmp = tmp_path_factory.mktemp("insight")
    with running_assistant(tmp, name="insight") as servers:
        for text in SENT:
            assert servers.send(f"visitor-{uuid.uuid4().hex[:8]}", text)
        for conversation in (RATED_DOWN, RATED_UP):
            sender = f"visitor-{uuid.uuid4().hex[:8]}"
            for text in conversation:
                assert servers.send(sender, text)
    return servers.endpoints


@pytest.fixture(scope="module")
def draft(store):
    return cli(store, "candidates", "--days", "1").stdout


@pytest.fixture(scope="module")
def report(store, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    cli(store, "report", "--days", "1", "--out", str(out))
    return json.loads((out / "report.json").read_text()), (out / "report.html").read_text()


def examples_by_intent(draft):
    data = RasaYAMLReader().reads(draft)
    found = {}
    for message in data.intent_examples:
        intent = message.get("intent")
        if message.get("response_key"):
            intent = f"{intent}/{message.get('response_key')}"
        found.setdefault(intent, []).append(message.get("text"))
    return found


def test_the_draft_is_rasa_training_data(draft):
    examples = examples_by_intent(draft)
    texts = [text for group in examples.values() for text in group]
    assert DECLINED in texts and UNCLEAR in texts
    assert texts.count(DECLINED) == 1  # sent twice, listed once
    assert "# 2 times; last: declined (out_of_scope" in draft


def test_what_was_answered_is_not_a_candidate(draft):
    assert ANSWERED not in draft and RATED_UP[0] not in draft


def test_an_answer_rated_not_helpful_is_a_candidate(draft):
    before = draft.split(RATED_DOWN[0])[0].rsplit("\n", 2)[-2]
    assert before.strip().startswith("# not helpful"), before


def test_report_counts_feedback_per_answer(report):
    figures, page = report
    assert figures["feedback"] == {
        "faq/does_it_hurt": {"helpful": 1, "not_helpful": 0},
        "faq/needle_depth": {"helpful": 0, "not_helpful": 1},
    }
    assert [
        entry["outcome"]
        for entries in figures["failed"].values()
        for entry in entries
        if entry["text"] == RATED_DOWN[0]
    ] == ["not helpful"]
    assert figures["shares"]["feedback"] > 0


def test_each_message_says_what_the_model_chose(draft):
    before_unclear = draft.split(UNCLEAR)[0].rsplit("\n", 2)[-2]
    assert before_unclear.strip().startswith("# unclear (nlu_fallback"), before_unclear


def test_contact_details_are_masked(draft):
    assert "07700" not in draft and "jo@example.com" not in draft
    assert "[phone]" in draft and "[email]" in draft


def test_report_counts_what_was_sent(report):
    figures, _ = report
    assert figures["conversations"] == len(SENT) + 2 and figures["messages"] >= len(SENT) + 4
    assert figures["answers"]["faq/what_is_microneedling"] >= 2  # sent twice (and maybe in the <script> one)
    failed = [entry["text"] for entries in figures["failed"].values() for entry in entries]
    assert failed.count(DECLINED) == 2 and UNCLEAR in failed
    assert figures["shares"]["declined"] > 0 and figures["shares"]["aftercare"] > 0
    assert abs(sum(figures["shares"].values()) - 1) < 0.01
    assert sum(day["messages"] for day in figures["per_day"].values()) == figures["messages"]


def test_report_page_stands_alone_and_shows_messages_as_text(report):
    _, page = report
    assert "<script" not in page
    assert "http://" not in page and "https://" not in page  # nothing loaded from elsewhere
    assert page.count('src="data:image/png;base64,') == 2
    assert "visitor-" not in page  # no sender ids unless asked for


def test_an_empty_store_gives_an_empty_draft(tmp_path):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {tmp_path / 'none.db'}\n")
    result = conversations_script(endpoints, "candidates")
    assert result.returncode == 0 and "No conversations" in result.stderr


def test_ten_thousand_conversations_are_all_counted(store, tmp_path):
    """The real conversations above, copied to 10,000 under new sender ids: each figure of
    the report is the sum of its conversations' figures times their copies. (How long the
    report takes on them is measured by `make bench`.)"""
    source = store.parent / "conversations.db"
    copies = copy_conversations(source, tmp_path / "many.db", 10_000)
    run_report(tmp_path / "many.db", tmp_path / "report")
    many = json.loads((tmp_path / "report" / "report.json").read_text())

    expected = {"messages": 0, "answers": Counter(), "not_helpful": Counter(), "failed": 0}
    for sender, count in copies.items():
        alone = insight.figures(list(insight.turns([(sender, stored_events(source, sender))], "UTC")), 1)
        expected["messages"] += count * alone["messages"]
        expected["failed"] += count * sum(len(entries) for entries in alone["failed"].values())
        for answer, times in alone["answers"].items():
            expected["answers"][answer] += count * times
        for answer, rated in alone["feedback"].items():
            expected["not_helpful"][answer] += count * rated["not_helpful"]
    assert sum(copies.values()) == 10_000 and many["conversations"] == 10_000
    assert many["messages"] == expected["messages"]
    assert many["answers"] == dict(expected["answers"])
    assert {answer: rated["not_helpful"] for answer, rated in many["feedback"].items()} == dict(expected["not_helpful"])
    assert sum(len(entries) for entries in many["failed"].values()) == expected["failed"]
