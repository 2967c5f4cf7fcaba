"""How the providers' APIs answer, for the stand-ins: the calls the connectors make,
with the providers' own checks and error replies for what they would refuse."""

import base64
import itertools
import json
import re
import time

from .stand_in import Request

# --- Telegram Bot API (https://core.telegram.org/bots/api) ---------------------------

TELEGRAM_TOKEN = "123456789:AAtest-token_for-the-stand-in"
TELEGRAM_BOT_NAME = "demo_clinic_bot"
TELEGRAM_WEBHOOK_URL = "https://chat.example-clinic.test/webhooks/telegram/webhook"
TELEGRAM_SECRET_TOKEN = "test-secret_token-0123456789"


def _ok(result) -> tuple:
    return 200, {"ok": True, "result": result}


def _bad_request(description: str) -> tuple:
    return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {description}"}


class TelegramBotApi:
    """Answers like api.telegram.org for the methods the connector uses."""

    def __init__(self):
        self.message_ids = itertools.count(100)

    def __call__(self, request: Request) -> tuple:
        match = re.fullmatch(r"/bot([^/]+)/(\w+)", request.path)
        if not match:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        token, method = match.group(1), match.group(2).lower()
        if token != TELEGRAM_TOKEN:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        params = request.params
        if method == "getme":
            return _ok({"id": 123456789, "is_bot": True, "first_name": "Demo clinic", "username": TELEGRAM_BOT_NAME})
        if method == "setwebhook":
            if not params.get("url", "").startswith("https://"):
                return _bad_request("bad webhook: An HTTPS URL must be provided for webhook")
            if "secret_token" in params and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", params["secret_token"]):
                return _bad_request("bad webhook: secret token contains unallowed characters")
            return _ok(True)
        if method == "sendmessage":
            text = params.get("text", "")
            if not text.strip():
                return _bad_request("message text is empty")
            if len(text) > 4096:
                return _bad_request("message is too long")
            if "reply_markup" in params:
                for row in json.loads(params["reply_markup"]).get("inline_keyboard", []):
                    for button in row:
                        if not 1 <= len(button.get("callback_data", "").encode()) <= 64:
                            return _bad_request("BUTTON_DATA_INVALID")
            return _ok(
                {
                    "message_id": next(self.message_ids),
                    "date": int(time.time()),
                    "text": text,
                    "chat": {"id": int(params["chat_id"]), "type": "private", "first_name": "Ann"},
                    "from": {
                        "id": 123456789,
                        "is_bot": True,
                        "first_name": "Demo clinic",
                        "username": TELEGRAM_BOT_NAME,
                    },
                }
            )
        return _ok(True)


# --- Twilio Messaging API (https://www.twilio.com/docs/messaging/api/message-resource) --

TWILIO_ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
TWILIO_AUTH_TOKEN = "test-auth-token-0123456789abcdef"
TWILIO_NUMBER = "+441632960001"
TWILIO_WEBHOOK_URL = "https://chat.example-clinic.test/webhooks/twilio/webhook"


def _twilio_error(status: int, code: int, message: str) -> tuple:
    return status, {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


class TwilioApi:
    """Answers like api.twilio.com for sending a message."""

    def __init__(self):
        self.sids = itertools.count(1)

    def __call__(self, request: Request) -> tuple:
        path = f"/2010-04-01/Accounts/{TWILIO_ACCOUNT_SID}/Messages.json"
        expected = "Basic " + base64.b64encode(f"{TWILIO_ACCOUNT_SID}:{TWILIO_AUTH_TOKEN}".encode()).decode()
        if request.headers.get("authorization") != expected:
            return _twilio_error(401, 20003, "Authenticate")
        if request.method != "POST" or request.path != path:
            return _twilio_error(404, 20404, "The requested resource was not found")
        params = request.params
        if not params.get("To"):
            return _twilio_error(400, 21604, "A 'To' phone number is required.")
        if params.get("From") != TWILIO_NUMBER:
            return _twilio_error(
                400,
                21606,
                "The 'From' phone number provided is not a valid message-capable Twilio phone number for this account.",
            )
        body = params.get("Body", "")
        if not body and not params.get("MediaUrl"):
            return _twilio_error(400, 21602, "Message body is required.")
        if len(body) > 1600:
            return _twilio_error(400, 21617, "The concatenated message body exceeds the 1600 character limit.")
        sid = f"SM{next(self.sids):032x}"
        return 201, {
            "sid": sid,
            "account_sid": TWILIO_ACCOUNT_SID,
            "to": params["To"],
            "from": params["From"],
            "body": body,
            "status": "queued",
            "num_segments": str(1 + len(body) // 153),
            "direction": "outbound-api",
            "api_version": "2010-04-01",
            "uri": f"{path[:-5]}/{sid}.json",
            "price": None,
            "error_code": None,
        }


def rasa_server_env(telegram_api_url: str, twilio_api_url: str, shim: str) -> dict:
    """What a Rasa server with both connectors switched on reads: their settings, and the
    test-only shim (`shim`, put on PYTHONPATH) that sends their API calls to the stand-ins."""
    return {
        "TELEGRAM_ACCESS_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_BOT_NAME": TELEGRAM_BOT_NAME,
        "TELEGRAM_WEBHOOK_URL": TELEGRAM_WEBHOOK_URL,
        "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET_TOKEN,
        "TWILIO_ACCOUNT_SID": TWILIO_ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": TWILIO_AUTH_TOKEN,
        "TWILIO_NUMBER": TWILIO_NUMBER,
        "TWILIO_WEBHOOK_URL": TWILIO_WEBHOOK_URL,
        "PYTHONPATH": shim,
        "TEST_TELEGRAM_API": telegram_api_url,
        "TEST_TWILIO_API": twilio_api_url,
    }
