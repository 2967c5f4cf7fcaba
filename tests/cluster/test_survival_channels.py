"""Telegram and Twilio while PostgreSQL is down: an apology, nothing half-saved, and the
conversation goes on once it is back, as on the web (test_survival.py).

Rasa's connectors answered from an empty conversation instead (a failed read became "no
conversation yet") and kept the turn in memory nobody reads. A third Rasa server on the
cluster's stores has the Telegram and Twilio blocks of credentials.yml switched on, their
APIs played by the stand-ins of tests/channels.
"""

import time
from types import SimpleNamespace
from typing import Iterator

import pytest

from connectors.apology import APOLOGY
from tests.channels import providers
from tests.channels.conftest import CONNECTORS, SHIM, switch_on
from tests.channels.stand_in import StandIn
from tests.channels.test_telegram import VISITOR, post_update
from tests.channels.test_twilio import text_in
from tests.cluster.conftest import BEHIND_NGINX, ENDPOINTS
from tests.cluster.test_survival import AFTERCARE_ANSWER, user_texts
from tests.harness.conversations import ANSWER_DATE, ASK_AFTERCARE, FORM_QUESTION, read_tracker
from tests.harness.processes import RasaServer
from tests.harness.project import PROJECT

pytestmark = pytest.mark.cluster

PHONE = "+447700900301"
CHAT_ID = 626262


@pytest.fixture(scope="module")
def channels(cluster, tmp_path_factory) -> Iterator[SimpleNamespace]:
    text = (PROJECT / "credentials.yml").read_text()
    for connector in CONNECTORS:
        text = switch_on(text, connector)
    credentials = tmp_path_factory.mktemp("channel-credentials") / "credentials.yml"
    credentials.write_text(text)
    with StandIn(providers.TelegramBotApi()) as telegram, StandIn(providers.TwilioApi()) as twilio:
        server = RasaServer(
            "cluster-rasa-channels",
            ENDPOINTS,
            credentials,
            {**cluster.env, **BEHIND_NGINX, **providers.rasa_server_env(telegram.url, twilio.url, str(SHIM))},
        )
        server.start()
        try:
            yield SimpleNamespace(rasa_url=server.url, telegram=telegram, twilio=twilio, stores=cluster)
        finally:
            server.stop()


def sms(channels, text):
    return "\n".join(request.params["Body"] for request in text_in(channels, text, PHONE))


def telegram(channels, text):
    update = {
        "message": {
            "message_id": int(time.time() * 1000) % 2**31,
            "date": int(time.time()),
            "text": text,
            "from": {**VISITOR, "id": CHAT_ID},
            "chat": {"id": CHAT_ID, "type": "private"},
        }
    }
    return "\n".join(request.params["text"] for request in post_update(channels, update))


@pytest.mark.parametrize(
    "send, sender", [(sms, f"twilio:{PHONE}"), (telegram, f"telegram:{CHAT_ID}")], ids=["twilio", "telegram"]
)
def test_database_outage_gets_an_apology_and_the_conversation_goes_on(channels, send, sender):
    postgres = channels.stores.services.postgres
    assert FORM_QUESTION in send(channels, ASK_AFTERCARE)
    postgres.stop()
    try:
        assert send(channels, ANSWER_DATE) == APOLOGY
    finally:
        postgres.start()
    assert AFTERCARE_ANSWER in send(channels, ANSWER_DATE)  # the form was waiting for it
    # The message answered with an apology was not taken in.
    assert user_texts(read_tracker(ENDPOINTS, channels.stores.env, sender)) == [ASK_AFTERCARE, ANSWER_DATE]
