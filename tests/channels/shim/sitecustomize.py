"""Test-only: point the messaging connectors at stand-ins of the providers' APIs.

Python imports this module at start-up when its folder is on PYTHONPATH, which
tests/channels does for its Rasa server alone. Only the providers' base addresses
change: the connectors' own code builds and sends every request.

Rasa's TelegramOutput is an aiogram Bot created without a `server` argument, i.e.
always https://api.telegram.org; when TEST_TELEGRAM_API is set, Bots made without one
get that base address instead.
"""

import os

_base = os.environ.get("TEST_TELEGRAM_API")
if _base:
    from aiogram.bot import api as _api
    from aiogram.bot import base as _bot_base

    _stand_in = _api.TelegramAPIServer.from_base(_base)
    _original_init = _bot_base.BaseBot.__init__

    def _init_with_stand_in(self, token, *args, **kwargs):
        if len(args) < 8:  # `server` is the eighth parameter after the token
            kwargs.setdefault("server", _stand_in)
        _original_init(self, token, *args, **kwargs)

    _bot_base.BaseBot.__init__ = _init_with_stand_in

# Rasa's TwilioOutput is a twilio Client, which calls https://api.twilio.com; when
# TEST_TWILIO_API is set, its requests go there instead (same path, method, auth, form).
_twilio = os.environ.get("TEST_TWILIO_API")
if _twilio:
    from twilio.http import http_client as _http_client

    _original_request = _http_client.TwilioHttpClient.request

    def _request_to_stand_in(self, method, url, *args, **kwargs):
        if url.startswith("https://api.twilio.com/"):
            url = _twilio.rstrip("/") + url[len("https://api.twilio.com") :]
        return _original_request(self, method, url, *args, **kwargs)

    _http_client.TwilioHttpClient.request = _request_to_stand_in
