"""Stand-ins for the clinic's side of callback requests: a real SMTP server (aiosmtpd), a mail
server that drops every connection, and a webhook receiver that checks each request's
signature, all on loopback."""

import hashlib
import hmac
import json
import socket
import threading
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import List

from aiosmtpd.controller import Controller

from tests.harness.processes import free_port

SECRET = "test-webhook-secret"


class Mailbox:
    """A real SMTP server on loopback that keeps what it receives; it can be stopped and started."""

    def __init__(self, port: int):
        self.port = port
        self.messages: List = []
        self.controller = None

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def bodies(self, containing: str) -> List[str]:
        return [
            m.get_payload(decode=True).decode()
            for m in self.messages
            if containing in m.get_payload(decode=True).decode()
        ]


class BrokenMailServer:
    """Accepts each connection and closes it at once, counting them: every email fails."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:  # closed
                return
            self.connections += 1
            connection.close()


class Receiver:
    """The clinic's webhook: checks each POST's signature, keeps the valid ones."""

    def __init__(self):
        self.received: List[dict] = []
        self.bad_signatures = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                if not hmac.compare_digest(expected, self.headers.get("X-Signature-SHA256", "")):
                    receiver.bad_signatures += 1
                    self.send_response(401)
                else:
                    receiver.received.append(json.loads(body))
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/requests"

    def named(self, name: str) -> List[dict]:
        return [request for request in self.received if request["name"] == name]
