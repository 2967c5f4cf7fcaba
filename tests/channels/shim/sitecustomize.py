"""Test-only: point the Telegram connector at a stand-in of the Telegram Bot API.

Python imports this module at start-up when its folder is on PYTHONPATH, which
tests/channels does for its Rasa server alone. Rasa's TelegramOutput is an aiogram
Bot created without a `server` argument, i.e. always https://api.telegram.org; when
TEST_TELEGRAM_API is set, Bots made without one get that base address instead.
Nothing else changes: the connector's own code builds and sends every request.
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
