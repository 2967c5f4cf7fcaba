"""Endpoints for servers the tests and the benchmark start."""

from pathlib import Path

import yaml


PROJECT_ENDPOINTS = Path(__file__).resolve().parents[1] / "endpoints.yml"


def endpoints_like_project(action_url: str, db: Path) -> str:
    """endpoints.yml as shipped, but with another action server and SQLite file: what the
    tests and the benchmark start Rasa with, so that they run the tracker store that ships."""
    endpoints = yaml.safe_load(PROJECT_ENDPOINTS.read_text())
    endpoints["action_endpoint"] = {"url": f"{action_url}/webhook"}
    endpoints["tracker_store"]["db"] = str(db)
    return yaml.safe_dump(endpoints, sort_keys=False)
