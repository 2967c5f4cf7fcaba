"""The ready blocks of credentials.yml: secrets only from the environment, read as Rasa reads them.

Rasa 3.6 replaces ${VAR} in credentials.yml with the environment variable when it loads
the file (unquoted values only) and refuses to start when one is missing.
"""

import os
import re
import subprocess

import pytest
import rasa.shared.utils.io
from rasa.core.run import _create_single_channel

from tests.harness.processes import free_port
from tests.harness.project import MODEL, PROJECT, VENV_BIN, require_model

from .conftest import enabled_channels, switch_on

CREDENTIALS = (PROJECT / "credentials.yml").read_text()
READY = re.findall(r"^# ([A-Za-z_.]+):$", CREDENTIALS, flags=re.M)


def test_the_four_providers_have_ready_blocks():
    assert enabled_channels(CREDENTIALS) == ["connectors.web.RestInput", "connectors.web.SocketIOInput"]
    assert READY == ["connectors.telegram.TelegramInput", "slack", "facebook", "connectors.twilio.TwilioInput"]


@pytest.mark.parametrize("channel", READY)
def test_a_block_switched_on_takes_every_setting_from_the_environment(channel, tmp_path, monkeypatch):
    text = switch_on(CREDENTIALS, channel)
    block = re.search(rf"^{re.escape(channel)}:\n((?:  .*\n)+)", text, flags=re.M).group(1)
    settings = dict(re.findall(r"^  ([\w-]+): (.*)$", block, flags=re.M))
    assert settings, block
    # Nothing but ${VARIABLE}s: no secret, no address written in the file.
    variables = {key: re.fullmatch(r"\$\{(\w+)\}", value.split(" #")[0].strip()) for key, value in settings.items()}
    assert all(variables.values()), settings
    values = {key: f"value-of-{match.group(1)}" for key, match in variables.items()}
    for key, match in variables.items():
        monkeypatch.setenv(match.group(1), values[key])
    path = tmp_path / "credentials.yml"
    path.write_text(text)

    loaded = rasa.shared.utils.io.read_config_file(path)[channel]
    assert loaded == values

    # Each setting reaches the connector (a misspelt key would be silently ignored).
    connector = _create_single_channel(channel, loaded)
    kept = set(map(str, vars(connector).values()))
    assert set(values.values()) <= kept, (values, vars(connector))


def test_a_missing_variable_stops_the_server_and_names_it(tmp_path):
    require_model()
    path = tmp_path / "credentials.yml"
    path.write_text(switch_on(CREDENTIALS, "connectors.telegram.TelegramInput"))
    env = {key: value for key, value in os.environ.items() if not key.startswith("TELEGRAM_")}
    result = subprocess.run(
        [
            str(VENV_BIN / "rasa"),
            "run",
            "--model",
            str(MODEL),
            "--credentials",
            str(path),
            "--interface",
            "127.0.0.1",
            "--port",
            str(free_port()),
        ],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert (
        "Please make sure to also set these environment variables: '['${TELEGRAM_ACCESS_TOKEN}']'"
        in result.stdout + result.stderr
    )


@pytest.mark.parametrize("secret", [None, "", "has spaces", "x" * 257])
def test_telegram_without_a_usable_secret_token_does_not_start(secret):
    from connectors.telegram import TelegramInput

    credentials = {
        "access_token": "123:abc",
        "verify": "demo_bot",
        "webhook_url": "https://example.test/webhook",
        "secret_token": secret,
    }
    with pytest.raises(ValueError, match="TELEGRAM_SECRET_TOKEN"):
        TelegramInput.from_credentials(credentials)
