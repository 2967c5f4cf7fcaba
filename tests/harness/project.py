"""Where the project's files are, and what every test server shares."""

import sys
from pathlib import Path
from typing import Dict, List

import yaml

from actions.settings import ClinicSettings

PROJECT = Path(__file__).resolve().parents[2]
MODEL = PROJECT / "models" / "microneedling.tar.gz"
ARTIFACTS = PROJECT / "test-artifacts"
VENV_BIN = Path(sys.executable).parent
# Saturday 28 November 2026, 10:00 in London: what "yesterday" and "2 days ago" mean in tests.
FIXED_NOW = "2026-11-28T10:00:00+00:00"

# Clinic settings for tests of the wording: every contact detail set, or none.
FULL_CLINIC = ClinicSettings(
    "Example Skin Clinic",
    "https://example.com/book",
    "+44 20 7946 0000",
    "hello@example.com",
    "Mon-Fri 9:00-17:00",
    "Europe/London",
    4,
)
GENERIC_CLINIC = ClinicSettings(None, None, None, None, None, "Europe/London", 4)


def require_model() -> None:
    """Fail the test, saying what to do, when there is no trained model."""
    import pytest

    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make test does)")


def project_responses() -> Dict[str, List[Dict]]:
    """Every response of domain.yml and data/responses/*.yml, by name, as the domain holds them."""
    found: Dict[str, List[Dict]] = {}
    for path in [PROJECT / "domain.yml", *sorted((PROJECT / "data" / "responses").glob("*.yml"))]:
        found.update((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {})
    return found
