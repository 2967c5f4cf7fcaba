"""The action server goes away and comes back: FAQ answers keep working, turns that
need an action get an apology instead of silence, and all works again afterwards."""

import pytest

from tests.conftest import running_servers

from .conftest import texts

APOLOGY = "Sorry, I can't do that right now"


@pytest.fixture(scope="module")
def own_servers(tmp_path_factory):
    # Its own pair, since this test stops the action server.
    with running_servers(tmp_path_factory.mktemp("action-down"), name="action-down") as running:
        yield running


def test_action_server_down_and_back(own_servers, sender):
    assert "qualified professional" in texts(own_servers.send(sender, "I'd like to book an appointment"))

    action_server = own_servers.processes[0]
    action_server.terminate()
    action_server.wait(timeout=30)

    assert "collagen induction therapy" in texts(own_servers.send(sender, "What is microneedling?")).lower()
    reply = own_servers.send(sender, "I'd like to book an appointment")
    assert APOLOGY in texts(reply), reply
    reply = own_servers.send(sender, "I had microneedling 2 days ago, what should I do now?")
    assert APOLOGY in texts(reply), reply

    own_servers.start_action_server()
    other = sender + "-after"
    assert "qualified professional" in texts(own_servers.send(other, "I'd like to book an appointment"))
    assert "2 days ago" in texts(own_servers.send(other, "I had microneedling 2 days ago, what should I do now?"))
