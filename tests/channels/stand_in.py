"""A stand-in for a messaging provider's API: a small HTTP server on loopback.

It records every request the Rasa server's connector makes and answers through a
function given by the test, the way the provider would (including its errors).
"""

import json
import threading
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Dict, List, Tuple
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: Dict[str, str]
    headers: Dict[str, str]
    params: Dict[str, str]  # form fields or JSON body
    reply: Tuple[int, object] = field(default=(0, None))


Responder = Callable[[Request], Tuple[int, object]]


def _params(content_type: str, body: bytes) -> Dict[str, str]:
    if not body:
        return {}
    if content_type.startswith("application/json"):
        return json.loads(body)
    if content_type.startswith("application/x-www-form-urlencoded"):
        return dict(parse_qsl(body.decode(), keep_blank_values=True))
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
        return {
            part.get_param("name", header="content-disposition"): part.get_content() for part in message.iter_parts()
        }
    return {"_body": body.decode(errors="replace")}


class StandIn:
    def __init__(self, respond: Responder):
        self.respond = respond
        self.requests: List[Request] = []  # since the last clear()
        self.history: List[Request] = []  # all of them
        self._lock = threading.Lock()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                parts = urlsplit(self.path)
                request = Request(
                    method=self.command,
                    path=parts.path,
                    query=dict(parse_qsl(parts.query)),
                    headers={key.lower(): value for key, value in self.headers.items()},
                    params=_params(self.headers.get("Content-Type", ""), body),
                )
                status, payload = stand_in.respond(request)
                request.reply = (status, payload)
                with stand_in._lock:
                    stand_in.requests.append(request)
                    stand_in.history.append(request)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _handle

            def log_message(self, *args) -> None:  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "StandIn":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def calls(self, name: str) -> List[Request]:
        """Recorded requests whose path ends with `name` (case-insensitive)."""
        with self._lock:
            return [r for r in self.requests if r.path.lower().endswith(name.lower())]

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()
