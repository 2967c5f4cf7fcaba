"""Faults while running: a store going away, a Rasa server dying, everything restarted.

These stop and kill parts of the shared stack, so they run after test_scale_out.py
(file order) and in the order written; each leaves the stack running.
"""

import json
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest

from connectors.apology import APOLOGY, NOT_SAVED
from tests.cluster.conftest import ENDPOINTS
from tests.harness.conversations import ANSWER_DATE, ASK_AFTERCARE, FORM_QUESTION, texts
from tests.harness.processes import conversations_script

pytestmark = pytest.mark.cluster

AFTERCARE_ANSWER = "Your treatment was 2 days ago, on Thursday 26 November."


def user_texts(tracker):
    return [event.text for event in tracker.events if event.type_name == "user"]


def test_postgres_outage_gets_an_apology_then_recovers_by_itself(cluster, sender):
    a, b = cluster.rasa
    postgres = cluster.services.postgres
    assert FORM_QUESTION in texts(a.send(sender, ASK_AFTERCARE))

    postgres.stop()
    try:
        for server in (a, b):
            assert texts(server.send(sender, ANSWER_DATE)) == APOLOGY
    finally:
        postgres.start()

    # No restart of anything: the next message is answered, the form still waiting for
    # the date (a guide question is answered and the date asked again).
    reply = texts(b.send(sender, "does it hurt?"))
    assert "anaesthetic" in reply and FORM_QUESTION in reply, reply
    assert AFTERCARE_ANSWER in texts(a.send(sender, ANSWER_DATE))
    # The messages answered with an apology were not taken in.
    assert user_texts(cluster.tracker(sender)) == [ASK_AFTERCARE, "does it hurt?", ANSWER_DATE]


def test_redis_outage_gets_an_apology_then_recovers_by_itself(cluster, sender):
    a, _ = cluster.rasa
    redis = cluster.services.redis
    redis.stop()
    try:
        assert texts(a.send(sender, "what is microneedling?")) == APOLOGY
    finally:
        redis.start()
    assert "collagen" in texts(a.send(sender, "what is microneedling?"))


@contextmanager
def answer_held_back(cluster, server, sender, message):
    """Send `message` while the action server is paused: the turn has read the conversation
    and waits for its action. The block's body runs then; the reply is what the turn sends
    once the action server goes on."""
    action = cluster.action.process.popen
    reply = {}
    with ThreadPoolExecutor(max_workers=1) as pool:
        action.send_signal(signal.SIGSTOP)
        try:
            sent = pool.submit(server.send, sender, message)
            time.sleep(5)  # NLU and the read take well under a second
            yield reply
        finally:
            action.send_signal(signal.SIGCONT)
        reply["messages"] = sent.result(timeout=120)


def aftercare_answer_with_a_store_gone(cluster, store, sender):
    """The aftercare form's date, answered while `store` goes away after the turn has read
    the conversation; the store is back when this returns the reply's text."""
    a, _ = cluster.rasa
    assert FORM_QUESTION in texts(a.send(sender, ASK_AFTERCARE))
    try:
        with answer_held_back(cluster, a, sender, ANSWER_DATE) as reply:
            store.stop()
    finally:
        store.start()
    return texts(reply["messages"])


def test_a_save_failing_after_the_answer_says_so_and_keeps_nothing_of_the_turn(cluster, sender):
    reply = aftercare_answer_with_a_store_gone(cluster, cluster.services.postgres, sender)
    # The answer went out; the visitor is told it may not be remembered, not asked to resend.
    assert AFTERCARE_ANSWER in reply and NOT_SAVED in reply and APOLOGY not in reply, reply
    # Nothing of that turn was kept: the form still waits for the date.
    assert AFTERCARE_ANSWER in texts(cluster.rasa[0].send(sender, ANSWER_DATE))
    assert user_texts(cluster.tracker(sender)) == [ASK_AFTERCARE, ANSWER_DATE]


def test_a_saved_turn_is_not_apologised_for_when_its_lock_cannot_be_released(cluster, sender):
    # An apology would make the visitor send the message again, and it would be kept twice.
    reply = aftercare_answer_with_a_store_gone(cluster, cluster.services.redis, sender)
    assert AFTERCARE_ANSWER in reply and APOLOGY not in reply, reply
    assert user_texts(cluster.tracker(sender)) == [ASK_AFTERCARE, ANSWER_DATE]
    assert "collagen" in texts(cluster.rasa[0].send(sender, "what is microneedling?"))


def test_a_conversation_lock_outlives_a_redis_restart(cluster, sender):
    # Redis keeps the locks on disk: a message sent after a restart still waits for the
    # one being handled, instead of being handled beside it from the same history.
    a, b = cluster.rasa
    redis = cluster.services.redis
    book = "I'd like to book an appointment"  # a custom action: held back below
    assert "collagen" in texts(a.send(sender, "what is microneedling?"))
    with ThreadPoolExecutor(max_workers=1) as pool:
        with answer_held_back(cluster, a, sender, book) as first:
            redis.stop()
            redis.start()
            second = pool.submit(b.send, sender, "does it hurt?")  # a guide answer: no action needed
            time.sleep(3)
        assert "qualified professional" in texts(first["messages"])
        assert "anaesthetic" in texts(second.result(timeout=120))
    assert user_texts(cluster.tracker(sender)) == ["what is microneedling?", book, "does it hurt?"]


def test_one_server_killed_mid_conversation_the_other_carries_on(cluster, sender):
    a, b = cluster.rasa
    assert FORM_QUESTION in texts(cluster.send(sender, ASK_AFTERCARE))
    assert "anaesthetic" in texts(cluster.send(sender, "does it hurt?"))

    a.kill()  # SIGKILL: no chance to finish anything

    # nginx finds server A gone and sends every message to B; the conversation continues.
    reply = texts(cluster.send(sender, "how many sessions do I need?"))
    assert "series of sessions" in reply and FORM_QUESTION in reply, reply
    assert AFTERCARE_ANSWER in texts(cluster.send(sender, ANSWER_DATE))
    for question in ("what is microneedling?", "who performs microneedling?"):
        assert APOLOGY not in texts(cluster.send(sender, question))
    assert len(user_texts(cluster.tracker(sender))) == 6


def export(env, sender):
    result = conversations_script(ENDPOINTS, "export", sender, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_whole_stack_restarted_history_intact(cluster, sender):
    finished = f"{sender}-finished"
    for question in ("what is microneedling?", "how long does healing take?"):
        cluster.send(finished, question)
    assert FORM_QUESTION in texts(cluster.send(sender, ASK_AFTERCARE))  # left half-way
    before = {who: export(cluster.env, who)["events"] for who in (sender, finished)}

    cluster.restart_everything()  # PostgreSQL, Redis, action server, both Rasa servers, nginx

    after = {who: export(cluster.env, who)["events"] for who in (sender, finished)}
    assert after == before
    # Both servers continue the half-filled form.
    reply = texts(cluster.rasa[1].send(sender, "does it hurt?"))
    assert FORM_QUESTION in reply, reply
    assert AFTERCARE_ANSWER in texts(cluster.rasa[0].send(sender, ANSWER_DATE))
