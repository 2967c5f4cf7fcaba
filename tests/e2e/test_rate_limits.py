"""Messages per minute per visitor and per address (connectors/limits.py), on real servers.

The limits here are low (3 a minute per visitor, 6 per address: bursts of 1 and 2) so that
a test needs few messages; the server trusts one proxy's X-Forwarded-For (Sanic's
PROXIES_COUNT), as behind nginx, so each test speaks from an address of its own.
"""

from typing import Iterator

import pytest
import requests

from connectors.limits import SLOW_DOWN
from tests.harness.conversations import Widget, texts, user_texts
from tests.harness.processes import Assistant, running_assistant

LIMITS = {"RATE_LIMIT_PER_VISITOR": "3", "RATE_LIMIT_PER_ADDRESS": "6", "SANIC_PROXIES_COUNT": "1"}


@pytest.fixture(scope="module")
def limited(tmp_path_factory) -> Iterator[Assistant]:
    with running_assistant(tmp_path_factory.mktemp("limited"), env=LIMITS, name="limits") as running:
        yield running


def post(servers: Assistant, sender: str, message: str, address: str) -> requests.Response:
    return requests.post(
        f"{servers.rasa_url}/webhooks/rest/webhook",
        json={"sender": sender, "message": message},
        headers={"X-Forwarded-For": address},
        timeout=60,
    )


def test_a_visitor_over_the_limit_is_asked_to_wait_and_that_message_is_not_kept(limited, sender):
    first = post(limited, sender, "What is microneedling?", "192.0.2.10")
    assert "collagen" in texts(first.json()).lower()
    second = post(limited, sender, "does it hurt?", "192.0.2.10")
    assert second.status_code == 200 and texts(second.json()) == SLOW_DOWN
    assert user_texts(limited.stored_events(sender)) == ["What is microneedling?"]


def test_an_address_over_the_limit_gets_429_with_retry_after(limited, sender):
    for visitor in ("a", "b"):
        assert post(limited, f"{sender}-{visitor}", "hello", "192.0.2.20").status_code == 200
    refused = post(limited, f"{sender}-c", "hello", "192.0.2.20")
    assert refused.status_code == 429
    assert refused.json() == {"error": SLOW_DOWN, "status": 429}
    assert 1 <= int(refused.headers["Retry-After"]) <= 10
    assert limited.stored_events(f"{sender}-c") == []
    assert post(limited, f"{sender}-d", "hello", "192.0.2.21").status_code == 200  # another address


def test_widgets_over_the_address_limit_are_asked_to_wait(limited):
    widgets = [Widget(limited.rasa_url, headers={"X-Forwarded-For": "192.0.2.30"}) for _ in range(3)]
    try:
        for widget in widgets[:2]:
            widget.say(None, "what is microneedling?")
            assert "collagen" in widget.replies()[0]["text"]
        widgets[2].say(None, "what is microneedling?")
        assert [reply["text"] for reply in widgets[2].replies()] == [SLOW_DOWN]
    finally:
        for widget in widgets:
            widget.close()
    assert limited.stored_events(f"web:{widgets[2].session_id}") == []
