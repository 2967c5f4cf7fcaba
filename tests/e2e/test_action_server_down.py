"""The action server goes away and comes back: FAQ answers keep working, turns that
need an action get an apology instead of silence, and all works again afterwards. One
that hangs gets a turn cut at the turn limit."""

import signal

import pytest

from actions.aftercare import NO_DATE_INTRODUCTION
from connectors.apology import APOLOGY as CHANNEL_APOLOGY
from tests.harness.conversations import texts, user_texts
from tests.harness.processes import running_assistant

APOLOGY = "Sorry, I can't do that right now"


@pytest.fixture(scope="module")
def own_servers(tmp_path_factory):
    # Its own pair, since this test stops the action server.
    # A 10 s lock lifetime: turns are cut at 5 s instead of 30 s.
    with running_assistant(
        tmp_path_factory.mktemp("action-down"), name="action-down", env={"TICKET_LOCK_LIFETIME": "10"}
    ) as running:
        yield running


def test_a_hung_action_server_gets_an_apology_before_the_lock_expires(own_servers, sender):
    # Rasa waits 5 minutes for an action; the conversation's lock expires after its
    # lifetime, and a second message would then be handled beside the hung one. The turn
    # is cut at half the lifetime: an apology, nothing kept, the lock released.
    action_server = own_servers.action.process.popen
    action_server.send_signal(signal.SIGSTOP)
    try:
        reply = own_servers.send(sender, "I'd like to book an appointment")
    finally:
        action_server.send_signal(signal.SIGCONT)
    assert texts(reply) == CHANNEL_APOLOGY, reply
    assert "qualified professional" in texts(own_servers.send(sender, "I'd like to book an appointment"))
    assert user_texts(own_servers.stored_events(sender)) == ["I'd like to book an appointment"]


def test_action_server_down_and_back(own_servers, sender):
    assert "qualified professional" in texts(own_servers.send(sender, "I'd like to book an appointment"))

    own_servers.action.stop()

    assert "collagen induction therapy" in texts(own_servers.send(sender, "What is microneedling?")).lower()
    reply = own_servers.send(sender, "I'd like to book an appointment")
    assert APOLOGY in texts(reply), reply
    reply = own_servers.send(sender, "I had microneedling 2 days ago, what should I do now?")
    assert APOLOGY in texts(reply), reply

    own_servers.action.start()
    other = sender + "-after"
    assert "qualified professional" in texts(own_servers.send(other, "I'd like to book an appointment"))
    assert "2 days ago" in texts(own_servers.send(other, "I had microneedling 2 days ago, what should I do now?"))


def test_a_failed_check_of_a_date_gets_an_apology_and_closes_the_aftercare_question(own_servers, sender):
    # The form checks the date on the action server. When that call failed, Rasa's own
    # handling of an open form went back to listening, saying nothing.
    asked = texts(own_servers.send(sender, "which aftercare applies to me at this point?"))
    assert "When did you have your microneedling treatment" in asked, asked
    own_servers.action.stop()
    try:
        reply = own_servers.send(sender, "last Friday")
    finally:
        own_servers.action.start()
    assert len(reply) == 1 and APOLOGY in texts(reply), reply
    # The form was closed and the date it never checked forgotten: a guide question gets
    # its answer, not the general aftercare of a form ended without a date.
    reply = own_servers.send(sender, "does it hurt?")
    assert "topical anaesthetic" in texts(reply) and NO_DATE_INTRODUCTION not in texts(reply), reply
    reply = own_servers.send(sender, "last Friday")
    assert "your treatment was" in texts(reply).lower(), reply
