"""Serve the clinic demo page (web/) with the chat widget, for `make run`.

A small static server on loopback (python's http.server). Beyond the files it:
- answers /config.js from its options, so the page talks to the Rasa server that
  scripts/run.sh started (RASA_PORT, or CHAT_SOCKET_URL when set), and shows the
  clinic's name from settings/clinic.yml (CLINIC_SETTINGS_FILE);
- sends a Content-Security-Policy that lets the page run only its own scripts and
  connect only to itself and that Rasa server: even if some text got through the
  widget as HTML, inline scripts, event handlers and javascript: links would not run.

    python scripts/serve_web.py --port 8080 --rasa-port 5005 [--socket-url URL]

For a real deployment serve web/ with your web server instead, edit web/config.js and
send an equivalent Content-Security-Policy header (docs/widget.md, "On the clinic's page").
"""

import argparse
import functools
import json
import re
import sys
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

PROJECT = Path(__file__).resolve().parents[1]
WEB_ROOT = PROJECT / "web"
sys.path.insert(1, str(PROJECT))

from actions.settings import SettingsError, load_clinic_settings  # noqa: E402  (after the path)

HOST_NAME = re.compile(r"^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$")


def socket_origins(socket_url: Optional[str], request_host: str, rasa_port: int) -> str:
    """The http(s) and ws(s) origins of the Rasa server, for connect-src."""
    if socket_url:
        parts = urlsplit(socket_url)
        secure = parts.scheme == "https"
        netloc = parts.netloc
    else:  # same rule as web/chat.js: the page's host name on the Rasa port
        host = request_host.rsplit(":", 1)[0] if not request_host.endswith("]") else request_host
        if not HOST_NAME.match(host or ""):
            host = "localhost"
        secure, netloc = False, f"{host}:{rasa_port}"
    return f"{'https' if secure else 'http'}://{netloc} {'wss' if secure else 'ws'}://{netloc}"


class PageHandler(SimpleHTTPRequestHandler):
    socket_url: Optional[str] = None
    rasa_port: int = 5005
    clinic_name: Optional[str] = None

    def end_headers(self) -> None:
        connect = socket_origins(self.socket_url, self.headers.get("Host", ""), self.rasa_port)
        self.send_header(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data:; font-src 'self' data:; connect-src 'self' {connect}; "
            "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        )
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "strict-origin-when-cross-origin")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] == "/config.js":
            body = (
                "// Written by scripts/serve_web.py from its options (web/config.js explains them).\n"
                "window.CLINIC_CHAT = "
                + json.dumps(
                    {
                        "socketUrl": self.socket_url or "",
                        "socketPath": "/socket.io/",
                        "rasaPort": self.rasa_port,
                        "clinicName": self.clinic_name or "",
                    }
                )
                + ";\n"
            ).encode()
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/javascript; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def list_directory(self, path):  # no directory listings
        self.send_error(HTTPStatus.NOT_FOUND)
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--rasa-port", type=int, default=5005)
    parser.add_argument("--socket-url", default="", help="the Rasa server's address as browsers see it")
    args = parser.parse_args()

    if not (WEB_ROOT / "vendor" / "socket.io.min.js").exists():
        sys.exit("web/vendor/socket.io.min.js is missing: run `make webchat` (make run does)")
    try:
        PageHandler.clinic_name = load_clinic_settings().name
    except SettingsError as error:
        sys.exit(str(error))
    PageHandler.socket_url = args.socket_url or None
    PageHandler.rasa_port = args.rasa_port
    handler = functools.partial(PageHandler, directory=str(WEB_ROOT))
    with ThreadingHTTPServer((args.bind, args.port), handler) as server:
        print(f"Serving {WEB_ROOT} on http://{args.bind}:{args.port}/", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
