"""Fixtures shared by every test folder; the helpers they use are in tests/harness/.

`servers`: one action server and Rasa server (tests.harness.processes.Assistant) for the
whole session, with the project's credentials.yml; a folder that needs other settings
starts its own. `sender`: a new conversation id, named after the test's folder.
"""

from typing import Iterator

import pytest

from tests.harness.conversations import new_sender
from tests.harness.processes import Assistant, running_assistant


@pytest.fixture(scope="session")
def servers(tmp_path_factory) -> Iterator[Assistant]:
    with running_assistant(tmp_path_factory.mktemp("servers"), "session") as running:
        yield running


@pytest.fixture
def sender(request) -> str:
    return new_sender(request.path.parent.name)
