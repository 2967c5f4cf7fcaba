"""50 visitors at once, 20 messages each: every message answered, none lost, nothing
alarming in the log, and every conversation stored whole and in order."""

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests

from tests.harness.conversations import repeats, replies_with_text
from tests.harness.processes import reply_after_a_silence

CONVERSATIONS = 50
MESSAGES = [
    "hi",
    "What is microneedling?",
    "does it hurt?",
    "how deep do the needles go?",
    "I had microneedling 2 days ago, what should I do now?",
    "can I wear makeup?",
    "how many sessions do I need?",
    "which aftercare applies to me at this point?",
    "last Friday",
    "how much does it cost?",
    "I'd like to book an appointment",
    "will my skin be red afterwards?",
    "collagen",
    "when will I see results?",
    "can I exfoliate?",
    "is it right for me?",
    "what can I ask you?",
    "😀",
    "thanks",
    "bye",
]
DEADLINE_SECONDS = 240  # for all 1,000 messages; they take about a minute on 2 shared cores


def visitor(base_url: str, sender: str, offset: int):
    """One visitor's 20 messages, one after the other (each waits for its answer)."""
    session = requests.Session()
    results = []
    # Each visitor starts elsewhere in the list, so different turns run at the same time.
    for message in MESSAGES[offset:] + MESSAGES[:offset]:
        started = time.monotonic()
        try:
            response = session.post(
                f"{base_url}/webhooks/rest/webhook",
                json={"sender": sender, "message": message},
                timeout=DEADLINE_SECONDS,
            )
            results.append(
                (
                    message,
                    response.status_code,
                    response.json() if response.ok else response.text,
                    time.monotonic() - started,
                )
            )
        except requests.RequestException as error:
            results.append((message, None, repr(error), time.monotonic() - started))
    return sender, results


def test_fifty_conversations_at_once(robust):
    watch = robust.watch()
    run = uuid.uuid4().hex[:6]
    senders = [f"load-{run}-{index:02d}" for index in range(CONVERSATIONS)]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CONVERSATIONS) as pool:
        futures = [
            pool.submit(visitor, robust.rasa_url, sender, index % len(MESSAGES)) for index, sender in enumerate(senders)
        ]
        outcomes = dict(future.result(timeout=DEADLINE_SECONDS) for future in futures)
    elapsed = time.monotonic() - started

    failures = [
        (sender, message, status, str(body)[:200])
        for sender, results in outcomes.items()
        for message, status, body, _ in results
        if status != 200 or not replies_with_text(body)
    ]
    assert failures == [], f"{len(failures)} of {CONVERSATIONS * len(MESSAGES)} failed: {failures[:5]}"
    assert elapsed < DEADLINE_SECONDS

    for sender, results in outcomes.items():
        stored = robust.stored_turns(sender)
        assert [user for user, _ in stored] == [message.strip() for message, *_ in results], sender
        assert [bot for _, bot in stored] == [[m.get("text") or "" for m in body] for _, _, body, _ in results], sender
        assert not [body for _, _, body, _ in results if repeats(body)], sender

    assert watch.problems() == []
    latencies = sorted(latency for results in outcomes.values() for *_, latency in results)
    print(
        f"{len(latencies)} messages in {elapsed:.0f} s; latency p50 {latencies[len(latencies) // 2]:.2f} s, "
        f"p95 {latencies[int(len(latencies) * 0.95)]:.2f} s, max {latencies[-1]:.2f} s"
    )


def test_the_tests_action_server_waits_for_a_request_written_late(robust):
    # Rasa opens a new connection for each action call. Busy with other visitors' messages
    # (as in the test above), it may write the request seconds later; Sanic's default closes
    # a silent connection after 5 to 7.5 s, and the turn then failed ("Cannot write to
    # closing transport"). The scripts' action servers: tests/robustness/test_security.py.
    assert reply_after_a_silence(robust.action.port, 10).startswith(b"HTTP/1.1 200")
