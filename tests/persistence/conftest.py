"""The embedded default (`make run`): conversations in a SQLite file, kept across restarts.

`embedded` is one action server and Rasa server for the folder (tests.harness.processes.Assistant);
a test restarts them with `embedded.stop()` and `embedded.start()`.
"""

from typing import Iterator

import pytest

from tests.harness.processes import Assistant, running_assistant


@pytest.fixture(scope="module")
def embedded(tmp_path_factory) -> Iterator[Assistant]:
    with running_assistant(tmp_path_factory.mktemp("embedded"), "persistence") as running:
        yield running
