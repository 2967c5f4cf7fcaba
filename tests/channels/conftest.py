"""One Rasa server with messaging connectors switched on, as docs/channels.md tells a clinic to.

The connectors' blocks in the project's credentials.yml are uncommented as they stand
(so the ready blocks themselves are tested), their secrets come from environment
variables, and each provider's API is a stand-in on loopback (stand_in.py, answering
as providers.py says). The test-only shim in shim/ points the connectors there.
"""

import re
from pathlib import Path
from typing import Iterator

import pytest

from tests.harness.processes import Assistant
from tests.harness.project import PROJECT, require_model

from . import providers
from .stand_in import StandIn

SHIM = Path(__file__).parent / "shim"
BOOKING_URL = "https://booking.example-clinic.test/consultation"
CONNECTORS = ["connectors.telegram.TelegramInput", "connectors.twilio.TwilioInput"]


def switch_on(credentials: str, channel: str) -> str:
    """The credentials text with the commented block of `channel` uncommented."""
    lines = credentials.splitlines()
    start = lines.index(f"# {channel}:")
    end = start + 1
    while end < len(lines) and lines[end].startswith("#   "):
        end += 1
    return "\n".join(lines[:start] + [line[2:] for line in lines[start:end]] + lines[end:]) + "\n"


def enabled_channels(credentials: str) -> list:
    return re.findall(r"^([A-Za-z_.]+):", credentials, flags=re.M)


class ChannelServers(Assistant):
    telegram: StandIn
    twilio: StandIn


@pytest.fixture(scope="session")
def channels(tmp_path_factory) -> Iterator[ChannelServers]:
    require_model()
    tmp = tmp_path_factory.mktemp("channels")
    text = (PROJECT / "credentials.yml").read_text()
    for connector in CONNECTORS:
        text = switch_on(text, connector)
    assert enabled_channels(text) == ["connectors.web.RestInput", "connectors.web.SocketIOInput", *CONNECTORS]
    credentials = tmp / "credentials.yml"
    credentials.write_text(text)
    clinic = tmp / "clinic.yml"
    clinic.write_text(f"name: Demo Skin Clinic\nbooking_url: {BOOKING_URL}\n")

    with StandIn(providers.TelegramBotApi()) as telegram, StandIn(providers.TwilioApi()) as twilio:
        servers = ChannelServers(tmp, "channels", env={"CLINIC_SETTINGS_FILE": str(clinic)}, credentials=credentials)
        servers.telegram, servers.twilio = telegram, twilio
        servers.start(rasa_env=providers.rasa_server_env(telegram.url, twilio.url, str(SHIM)))
        try:
            yield servers
        finally:
            servers.stop()
