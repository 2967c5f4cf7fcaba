"""A Rasa server with a messaging connector switched on, as the README tells a clinic to do.

The connector's block in the project's credentials.yml is uncommented as it stands
(so the ready blocks are tested, not a copy), its secrets come from environment
variables, and the provider's API is a stand-in on loopback (stand_in.py).
"""

import re
from pathlib import Path

import pytest

from tests.conftest import PROJECT

SHIM = Path(__file__).parent / "shim"


def credentials_with(channel: str, tmp: Path) -> Path:
    """credentials.yml with the commented block of `channel` switched on; its path."""
    lines = (PROJECT / "credentials.yml").read_text().splitlines()
    start = lines.index(f"# {channel}:")
    end = start + 1
    while end < len(lines) and lines[end].startswith("#   "):
        end += 1
    block = [line[2:] for line in lines[start:end]]
    path = tmp / "credentials.yml"
    lines = lines[:start] + block + lines[end:]
    path.write_text("\n".join(lines) + "\n")
    return path


def enabled_channels(credentials: Path) -> list:
    return re.findall(r"^([A-Za-z_.]+):", credentials.read_text(), flags=re.M)


@pytest.fixture(scope="session")
def shim_path() -> str:
    return str(SHIM)
