"""Where the project's files are, and what every test server shares."""

import sys
from pathlib import Path
from typing import Dict, List

import yaml

PROJECT = Path(__file__).resolve().parents[2]
MODEL = PROJECT / "models" / "microneedling.tar.gz"
ARTIFACTS = PROJECT / "test-artifacts"
VENV_BIN = Path(sys.executable).parent
# Saturday 28 November 2026, 10:00 in London: what "yesterday" and "2 days ago" mean in tests.
FIXED_NOW = "2026-11-28T10:00:00+00:00"


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
