"""Fixtures shared by every test folder; the helpers they use are in tests/harness/.

`servers`: one action server and Rasa server (tests.harness.processes.Assistant) for the
whole session, with the project's credentials.yml, logs named after the folders under test
(test-artifacts/e2e-rasa-server.log); a folder that needs other settings starts its own.
`sender`: a new conversation id, named after the test's folder.
"""

from pathlib import Path
from typing import Iterator

import pytest

from tests.harness.conversations import new_sender
from tests.harness.processes import Assistant, running_assistant


def _folders_under_test(config: pytest.Config) -> str:
    """The test folders of this run ("e2e", "blind-e2e"): they name its servers' logs, so that
    two runs at once (`make test` runs two suites at a time) keep theirs apart."""
    folders = sorted(
        {Path(arg).parts[1] for arg in config.args if Path(arg).parts[:1] == ("tests",) and len(Path(arg).parts) > 1}
    )
    return "-".join(folders) or "session"


@pytest.fixture(scope="session")
def servers(tmp_path_factory, request) -> Iterator[Assistant]:
    with running_assistant(tmp_path_factory.mktemp("servers"), _folders_under_test(request.config)) as running:
        yield running


@pytest.fixture
def sender(request) -> str:
    return new_sender(request.path.parent.name)
