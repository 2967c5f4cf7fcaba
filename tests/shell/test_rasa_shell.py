"""`make shell` as a person uses it: scripts/run.sh --shell in a pseudo-terminal.

The script starts the action server and a Rasa server with the project's channels (free
ports, a temporary tracker store), and Rasa's console talks to it. The test types a
question, answers "Was this answer helpful?" in the arrow-key menu the console shows for
buttons, picks one of the next answer's buttons, types a question that needs the action
server and one with two questions, and leaves with /stop, after which the script stops
the servers.
"""

import os
import re
import signal
import subprocess
import time

import pexpect
import pytest
import requests

from actions.settings import load_aftercare_schedule
from connectors.apology import APOLOGY
from tests.harness.processes import endpoints_like_project, free_port
from tests.harness.project import ARTIFACTS, FIXED_NOW, PROJECT, require_model

SCHEDULE = {phase.name: phase for phase in load_aftercare_schedule().phases}
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Z0-9]|\x1b[=>]|\r")
DOWN, UP, ENTER = "\x1b[B", "\x1b[A", "\r"


class Terminal:
    """A pseudo-terminal session; `screen` is everything shown so far, without escape codes."""

    def __init__(self, child: pexpect.spawn):
        self.child = child
        self.screen = ""
        self.mark = 0

    def _read(self) -> None:
        try:
            while True:
                self.screen += ANSI.sub("", self.child.read_nonblocking(65536, timeout=0.2))
        except pexpect.TIMEOUT:
            pass

    def wait_for(self, text: str, timeout: float = 60) -> str:
        """Wait until `text` is shown after the last mark; return what was shown since."""
        deadline = time.monotonic() + timeout
        while text not in self.screen[self.mark :]:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{text!r} not shown within {timeout} s; screen since mark:\n{self.screen[self.mark :]}"
                )
            try:
                self._read()
            except pexpect.EOF:
                raise AssertionError(f"the shell ended before showing {text!r}:\n{self.screen[self.mark :]}") from None
        end = self.screen.index(text, self.mark) + len(text)
        shown, self.mark = self.screen[self.mark : end], end
        return shown

    def type(self, keys: str) -> None:
        self.child.send(keys)


@pytest.fixture
def shell(tmp_path):
    require_model()
    action_port, shell_port = free_port(), free_port()
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(endpoints_like_project(f"http://127.0.0.1:{action_port}", tmp_path / "conversations.db"))
    logs = ARTIFACTS / "shell-run"
    logs.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "ACTION_PORT": str(action_port),
        "SHELL_PORT": str(shell_port),
        "ENDPOINTS": str(endpoints),
        "LOG_DIR": str(logs),
        "ASSISTANT_FIXED_NOW": FIXED_NOW,
        "TF_CPP_MIN_LOG_LEVEL": "2",
        # Turns are cut at 15 s: longer than the 10 s Rasa's console waits by default.
        "TICKET_LOCK_LIFETIME": "30",
        "TERM": "xterm-256color",
        # prompt_toolkit asks the terminal where its cursor is; pexpect is no terminal that answers.
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    child = pexpect.spawn(
        "scripts/run.sh",
        ["--shell"],
        cwd=str(PROJECT),
        env=env,
        encoding="utf-8",
        dimensions=(50, 200),
        timeout=30,
    )
    terminal = Terminal(child)
    terminal.action_port = action_port
    try:
        yield terminal
    finally:
        (logs / "terminal.txt").write_text(terminal.screen)
        if child.isalive():
            child.terminate(force=True)


def test_shell_answers_questions_and_offers_buttons(shell):
    started = shell.wait_for("Type a message and press enter", timeout=300)
    # Staff see the prompt, not screens of the server's warnings (they go to its log).
    assert "Warning" not in started and len(started.splitlines()) < 10, started
    shell.wait_for("Your input ->")

    shell.type("What is microneedling?" + ENTER)
    answer = shell.wait_for("Type out your own message...")
    assert "collagen induction therapy" in answer
    # The answer's buttons are listed, numbered, with the question each sends; the first
    # answer then asks whether it helped, and that question's buttons are an arrow-key menu.
    assert "1: How does microneedling work? (How does microneedling work?)" in answer
    assert "Was this answer helpful?" in answer and "👍 Yes" in answer and "👎 No" in answer

    shell.type(DOWN + ENTER)  # 👎
    answer = shell.wait_for("Type out your own message...")
    assert answer.count("Sorry that wasn't the answer you needed.") == 1
    assert "Maybe one of these is closer" in answer

    shell.type(UP + ENTER)  # up from the first choice wraps to "Type out your own message..."
    shell.wait_for("Your input ->")
    shell.type("What are the benefits of microneedling?" + ENTER)
    answer = shell.wait_for("Type out your own message...")  # not asked again: the answer's own buttons
    assert "softening fine lines and wrinkles" in answer and "Was this answer helpful?" not in answer

    shell.type(DOWN + ENTER)  # its second button
    answer = shell.wait_for("Type out your own message...")
    assert "acne scars" in answer

    shell.type(UP + ENTER)
    shell.wait_for("Your input ->")
    # An answer that comes from the action server, which the script started.
    shell.type("I had microneedling 2 days ago, what should I do now?" + ENTER)
    answer = shell.wait_for(SCHEDULE["first_two_days"].now)
    assert "2 days ago" in answer
    shell.wait_for("Your input ->")

    # The visitors' channel, with everything it does: two questions get both answers (and a
    # database outage an apology, as on the widget).
    shell.type("Does it hurt? And how far apart are the sessions?" + ENTER)
    answer = shell.wait_for("Type out your own message...")
    assert "anaesthetic" in answer and "few weeks apart" in answer
    assert answer.index("anaesthetic") < answer.index("few weeks apart")
    shell.type(UP + ENTER)
    shell.wait_for("Your input ->")

    # A turn that takes long (a hung action server) ends in the apology, and the chat goes on.
    action_server = subprocess.run(
        ["pgrep", "-f", f"rasa_sdk --actions actions --port {shell.action_port}"], capture_output=True, text=True
    ).stdout.split()
    assert len(action_server) == 1, action_server
    os.kill(int(action_server[0]), signal.SIGSTOP)
    try:
        shell.type("I'd like to book an appointment" + ENTER)
        shell.wait_for(APOLOGY, timeout=60)
    finally:
        os.kill(int(action_server[0]), signal.SIGCONT)
    shell.wait_for("Your input ->")
    shell.type("I'd like to book an appointment" + ENTER)
    shell.wait_for("qualified professional")
    shell.wait_for("Your input ->")

    shell.type("/stop" + ENTER)
    shell.child.expect(pexpect.EOF, timeout=60)
    shell.child.close()
    assert shell.child.exitstatus == 0, shell.screen[-2000:]
    shell.screen += ANSI.sub("", shell.child.before or "")
    assert "Stopped." in shell.screen[shell.mark :]
    assert "running on http://127.0.0.1:" in (ARTIFACTS / "shell-run" / "action-server.log").read_text()
    with pytest.raises(requests.ConnectionError):  # the script stopped its action server
        requests.get(f"http://127.0.0.1:{shell.action_port}/health", timeout=2)
