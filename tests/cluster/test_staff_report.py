"""The staff report and the training-data draft read PostgreSQL, the cluster's tracker store."""

import json

import pytest

from tests.cluster.conftest import ENDPOINTS
from tests.harness.processes import conversations_script

pytestmark = pytest.mark.cluster

RATED_DOWN = "does microneedling hurt?"
DECLINED = "how much does a session cost?"


def conversations_cli(env, *args):
    result = conversations_script(ENDPOINTS, *args, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_report_and_candidates_from_postgresql(cluster, sender, tmp_path):
    cluster.send(f"{sender}-rated", RATED_DOWN)
    cluster.send(f"{sender}-rated", "/deny")
    cluster.send(f"{sender}-declined", DECLINED)

    conversations_cli(cluster.env, "report", "--days", "1", "--with-senders", "--out", str(tmp_path))
    report = json.loads((tmp_path / "report.json").read_text())
    mine = {
        (entry["sender"], entry["text"], entry["outcome"])
        for entries in report["failed"].values()
        for entry in entries
        if entry["sender"].startswith(sender)
    }
    assert mine == {(f"{sender}-rated", RATED_DOWN, "not helpful"), (f"{sender}-declined", DECLINED, "declined")}
    assert report["feedback"]["faq/does_it_hurt"]["not_helpful"] >= 1

    draft = conversations_cli(cluster.env, "candidates", "--days", "1")
    assert json.dumps(RATED_DOWN) in draft and json.dumps(DECLINED) in draft
