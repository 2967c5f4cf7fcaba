"""The whole stack as `make run` starts it (scripts/run.sh), and Debian's Chromium driven by Playwright.

scripts/run.sh runs on free ports with its own endpoints file (temporary tracker store),
a clinic settings file with a booking link, and logs in test-artifacts/browser-run/.
The tests open the address it prints. At the end the fixture presses Ctrl-C (SIGINT
to its process group) and checks that everything stopped.
"""

import os
import re
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, List
from urllib.parse import urlsplit

import pytest

from tests.clinic_inbox import SECRET, Receiver
from tests.harness.processes import endpoints_like_project, free_port, port_open
from tests.harness.project import ARTIFACTS, FIXED_NOW, PROJECT, require_model

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# As on these machines' notes: no GPU, no sandbox (root), and no background traffic to
# Google's services, which the closed network would refuse.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BOOKING_URL = "https://booking.example-clinic.test/consultation"
# Bot replies carry the opening hours as they are written: HTML and a javascript: link
# here must reach the page as inert text.
# Not the page's own placeholder: the page shows it only if it reads the settings.
CLINIC_NAME = "Harbour & Co Skin Clinic"
HOSTILE_OPENING_HOURS = (
    'Mon-Fri 9:00-17:00 <img src=x onerror="window.__xss=3"> [see all hours](javascript:window.__xss=4)'
)
RUN_LOG = ARTIFACTS / "browser-run"


@dataclass
class Stack:
    page_url: str
    rasa_port: int
    web_port: int
    action_port: int
    origins: List[str]
    process: subprocess.Popen
    tracker_db: Path
    receiver: Receiver  # the clinic's webhook for callback requests
    output: List[str] = field(default_factory=list)

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"


@pytest.fixture(scope="session")
def stack(tmp_path_factory) -> Iterator[Stack]:
    require_model()
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)")
    tmp = tmp_path_factory.mktemp("browser")
    rasa_port, action_port, web_port = free_port(), free_port(), free_port()
    endpoints = tmp / "endpoints.yml"
    endpoints.write_text(endpoints_like_project(f"http://127.0.0.1:{action_port}", tmp / "conversations.db"))
    receiver = Receiver()
    clinic = tmp / "clinic.yml"
    clinic.write_text(
        f"name: {CLINIC_NAME}\n"
        f"booking_url: {BOOKING_URL}\n"
        f"opening_hours: '{HOSTILE_OPENING_HOURS}'\n"
        "timezone: Europe/London\n"
        f"callback_requests:\n  webhook_url: {receiver.url}\n"
    )
    RUN_LOG.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "RASA_PORT": str(rasa_port),
        "ACTION_PORT": str(action_port),
        "WEB_PORT": str(web_port),
        "ENDPOINTS": str(endpoints),
        "LOG_DIR": str(RUN_LOG),
        "CLINIC_SETTINGS_FILE": str(clinic),
        "ASSISTANT_FIXED_NOW": FIXED_NOW,
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "CALLBACK_WEBHOOK_SECRET": SECRET,
    }
    env.pop("CHAT_ORIGINS", None)
    env.pop("CHAT_SOCKET_URL", None)
    process = subprocess.Popen(
        ["scripts/run.sh"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        # As in a terminal: a shell started in the background (nohup, `cmd &` in a script)
        # passes SIGINT on as ignored, and a shell cannot trap a signal ignored at entry.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    output: List[str] = []
    page_url = None
    deadline = time.monotonic() + 300
    # The script prints its lines as it goes; the page address comes once everything answers.
    for line in process.stdout:
        output.append(line)
        match = re.search(r"Web page: (http://\S+)", line)
        if match:
            page_url = match.group(1)
        if "Press Ctrl-C to stop." in line or time.monotonic() > deadline:
            break
    (RUN_LOG / "run.sh.out").write_text("".join(output))
    if page_url is None:
        process.kill()
        pytest.fail("scripts/run.sh did not print the page address:\n" + "".join(output))
    running = Stack(
        page_url=page_url,
        rasa_port=rasa_port,
        web_port=web_port,
        action_port=action_port,
        origins=[f"http://localhost:{web_port}", f"http://127.0.0.1:{web_port}"],
        process=process,
        output=output,
        tracker_db=tmp / "conversations.db",
        receiver=receiver,
    )
    try:
        yield running
    finally:
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        try:
            rest, _ = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            rest, _ = process.communicate()
            raise AssertionError("scripts/run.sh did not stop within 60 s of Ctrl-C") from None
        (RUN_LOG / "run.sh.out").write_text("".join(output) + rest)
        assert "Stopped." in rest, rest
        assert process.returncode == 0, (process.returncode, rest)
        receiver.server.shutdown()
        still_up = [port for port in (rasa_port, action_port, web_port) if port_open(port)]
        assert not still_up, f"still answering after Ctrl-C: {still_up}"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


class PageWatch:
    """What a page did besides showing things: requests to other hosts, CSP reports, errors."""

    LOOPBACK = {"localhost", "127.0.0.1", "[::1]"}

    def __init__(self, page):
        self.page = page
        self.outside_requests: List[str] = []
        self.csp_violations: List[str] = []
        self.page_errors: List[str] = []
        page.on("request", self._request)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("console", self._console)
        # Content-Security-Policy reports, made visible to the test through the console.
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => "
            "console.log('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
        )

    def _request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in {"localhost", "127.0.0.1", "::1"}:
            self.outside_requests.append(request.url)

    def _console(self, message) -> None:
        if message.text.startswith("CSP violation: "):
            self.csp_violations.append(message.text)


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.watch = PageWatch(page)
    page.set_default_timeout(30_000)
    return page
