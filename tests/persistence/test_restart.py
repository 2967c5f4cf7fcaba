"""`make run` keeps every conversation, and where a visitor is in the aftercare form, across restarts."""

import json
import subprocess

import yaml

from tests.harness.conversations import ANSWER_DATE, ASK_AFTERCARE, FORM_QUESTION, texts
from tests.harness.processes import conversations_script
from tests.harness.project import PROJECT


def test_endpoints_keep_conversations_in_a_sqlite_file_git_ignores():
    store = yaml.safe_load((PROJECT / "endpoints.yml").read_text())["tracker_store"]
    assert (store["type"], store["dialect"], store["db"]) == (
        "persistence.tracker_store.FastSQLTrackerStore",
        "sqlite",
        "conversations.db",
    )
    ignored = subprocess.run(["git", "check-ignore", "-q", "conversations.db"], cwd=PROJECT)
    assert ignored.returncode == 0, "conversations.db must be in .gitignore"


def export(embedded, sender):
    result = conversations_script(embedded.endpoints, "export", sender, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_conversations_and_form_survive_a_restart(embedded, sender):
    finished, halfway = f"{sender}-finished", f"{sender}-halfway"
    assert "collagen" in texts(embedded.rasa.send(finished, "what is microneedling?"))
    assert FORM_QUESTION in texts(embedded.rasa.send(halfway, ASK_AFTERCARE))
    before = {who: export(embedded, who) for who in (finished, halfway)}
    assert before[halfway]["active_loop"]["name"] == "aftercare_timing_form"
    assert before[halfway]["slots"]["requested_slot"] == "treatment_time"

    embedded.stop()
    embedded.start()

    assert {who: export(embedded, who) for who in (finished, halfway)} == before
    # The form is still waiting for the date: a guide question is answered, then it asks again.
    reply = texts(embedded.rasa.send(halfway, "does it hurt?"))
    assert "anaesthetic" in reply and FORM_QUESTION in reply, reply
    assert "Your treatment was 2 days ago" in texts(embedded.rasa.send(halfway, ANSWER_DATE))
    users = [e["text"] for e in export(embedded, halfway)["events"] if e["event"] == "user"]
    assert users == [ASK_AFTERCARE, "does it hurt?", ANSWER_DATE]
