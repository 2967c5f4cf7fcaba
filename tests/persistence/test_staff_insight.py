"""`scripts/conversations.py candidates` and `report` on a store filled by real
conversations through the real servers: what visitors asked, what failed, and the
failures back as NLU training data to label."""

import json
import os
import subprocess
import uuid

import pytest
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from tests.conftest import PROJECT, VENV_BIN, running_servers

UNCLEAR = "zzgrb flumph?"
DECLINED = "How much does a session cost?"
DECLINED_WITH_CONTACTS = "how much is it, call me on 07700 900123 or write to jo@example.com"
ANSWERED = "What is microneedling?"


SCRIPT_MESSAGE = "<script>alert(1)</script> what is it"
SENT = (UNCLEAR, DECLINED, DECLINED, DECLINED_WITH_CONTACTS, ANSWERED, ANSWERED, SCRIPT_MESSAGE,
        "I had microneedling 2 days ago, what now?")


def cli(endpoints, *args):
    result = subprocess.run(
        [str(VENV_BIN / "python"), "scripts/conversations.py", "--endpoints", str(endpoints), *args],
        cwd=PROJECT, env=os.environ, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The endpoints of a store that real conversations went into, one per message sent."""
    tmp = tmp_path_factory.mktemp("insight")
    with running_servers(tmp, name="insight") as servers:
        for text in SENT:
            assert servers.send(f"visitor-{uuid.uuid4().hex[:8]}", text)
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
    assert ANSWERED not in draft


def test_each_message_says_what_the_model_chose(draft):
    before_unclear = draft.split(UNCLEAR)[0].rsplit("\n", 2)[-2]
    assert before_unclear.strip().startswith("# unclear (nlu_fallback"), before_unclear


def test_contact_details_are_masked(draft):
    assert "07700" not in draft and "jo@example.com" not in draft
    assert "[phone]" in draft and "[email]" in draft


def test_report_counts_what_was_sent(report):
    figures, _ = report
    assert figures["conversations"] == len(SENT) and figures["messages"] >= len(SENT)
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
    result = subprocess.run(
        [str(VENV_BIN / "python"), "scripts/conversations.py", "--endpoints", str(endpoints), "candidates"],
        cwd=PROJECT, env=os.environ, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0 and "No conversations" in result.stderr
