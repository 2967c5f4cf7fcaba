"""pytest.ini: settings every test run depends on."""

import subprocess
import sys

from tests.harness.project import PROJECT


def test_an_empty_parameter_list_fails_instead_of_skipping(tmp_path):
    # e.g. `@pytest.mark.parametrize("origin", chat_origins())` with no origins set
    test = tmp_path / "test_empty.py"
    test.write_text("import pytest\n\n\n@pytest.mark.parametrize('origin', [])\ndef test_origin(origin):\n    pass\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-c",
            str(PROJECT / "pytest.ini"),
            "--rootdir",
            str(tmp_path),
            str(test),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0, result.stdout
    assert "Empty parameter set" in result.stdout, result.stdout
