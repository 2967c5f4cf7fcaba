"""Bad input, fuzzing, load and security checks against real servers on loopback.

`robust` is one action server and Rasa server for the whole folder
(tests.harness.processes.Assistant, project credentials.yml, no HTTP API), logs in
test-artifacts/robustness-*.log. Tests read what the Rasa server logged while they ran
(`robust.watch()`) and what it stored (`robust.stored_turns(sender)`).
"""

from typing import Iterator

import pytest

from tests.harness.processes import Assistant, running_assistant


@pytest.fixture(scope="session")
def robust(tmp_path_factory) -> Iterator[Assistant]:
    """The assistant as `make run` starts it (credentials.yml, no HTTP API)."""
    with running_assistant(tmp_path_factory.mktemp("robustness"), "robustness") as running:
        yield running
