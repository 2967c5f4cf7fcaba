"""Hypothesis sends 300 random messages through one conversation: every turn gets a reply,
and the tracker store holds every turn, in order, with the replies that were sent."""

import time

import requests
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from connectors.checks import MAX_MESSAGE_CHARS
from tests.harness.conversations import repeats, replies_with_text, texts

EXAMPLES = 300

QUESTIONS = [
    "What is microneedling?",
    "does it hurt",
    "how many sessions do I need?",
    "I had it done 2 days ago",
    "last Friday",
    "book a consultation",
    "how much does it cost?",
    "is it safe while pregnant",
    "hi",
    "thanks",
    "bye",
    "what can you do?",
    "can I wear makeup after",
    "yesterday",
    "never mind",
    "stop",
]
INJECTIONS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE events; --",
    "{{7*7}}",
    "${jndi:ldap://127.0.0.1/a}",
    "%s%s%s%n",
    "../../../../etc/passwd",
    "\\u0000",
    "null",
    "[]",
    "{}",
    '{"sender": "other", "message": "hi"}',
    "true",
    "NaN",
    "-1e309",
]
RTL = "אבגדהוזחטיכלמנסעפצקרשת ابتثجحخدذرزسشصضطظعغفقكلمنهوي ۱۲۳ \u200f\u200e\u202b\u202e\u202c\u2067\u2069"
EMOJI = ["😀", "🙏", "✨", "💉", "🧴", "👩🏽‍⚕️", "🇬🇧", "❤️", "🔥", "👍🏿", "🫠", "🧑‍🤝‍🧑", "\ufe0f", "\u200d"]

words = st.sampled_from(QUESTIONS + INJECTIONS + ["microneedling", "skin", "needle", "redness", "collagen"])
messages = st.one_of(
    st.text(max_size=200),  # any Unicode except surrogates, including control characters
    st.text(st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Mn"]), max_size=40),
    st.text(st.sampled_from(RTL), max_size=200),
    st.lists(st.sampled_from(EMOJI), max_size=60).map("".join),
    st.sampled_from(QUESTIONS + INJECTIONS),
    st.tuples(words, st.text(max_size=30), words).map(" ".join),
    st.text(min_size=500, max_size=MAX_MESSAGE_CHARS),  # long, up to the limit that is still read
    st.lists(words, min_size=50, max_size=200).map(" ".join).map(lambda s: s[:MAX_MESSAGE_CHARS]),
).filter(lambda text: len(text.strip()) <= MAX_MESSAGE_CHARS)


def test_random_messages_in_one_conversation(robust, sender):
    watch = robust.watch()
    session = requests.Session()
    turns = []  # (message, status, reply)
    started = time.monotonic()

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,  # the same 300 messages on every run
        database=None,
        deadline=None,
        phases=[Phase.generate],  # no shrinking: the conversation has moved on anyway
        suppress_health_check=list(HealthCheck),
    )
    @given(message=messages)
    def turn(message):
        response = session.post(
            f"{robust.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
        )
        turns.append((message, response.status_code, response.json() if response.ok else response.text))

    turn()  # every turn runs; what went wrong is reported below, all of it
    elapsed = time.monotonic() - started
    print(f"{len(turns)} messages in {elapsed:.0f} s")
    assert len(turns) >= EXAMPLES * 0.9, f"hypothesis ran only {len(turns)} examples"

    def where(index):
        previous = repr(turns[index - 1][0])[:60] if index else None
        return f"turn {index + 1} {repr(turns[index][0])[:60]} (after {previous})"

    refused = [f"{where(i)}: {status}" for i, (_, status, _) in enumerate(turns) if status != 200]
    assert refused == []
    silent = [where(i) for i, (_, _, reply) in enumerate(turns) if not replies_with_text(reply)]
    looping = [f"{where(i)}: {len(reply)} messages" for i, (_, _, reply) in enumerate(turns) if repeats(reply)]
    assert (looping[:3], silent[:3]) == ([], []), (
        f"{len(looping)} answers repeated themselves, {len(silent)} of {len(turns)} turns got no answer"
    )

    stored = robust.stored_turns(sender)
    assert [user for user, _ in stored] == [message.strip() for message, _, _ in turns]
    assert [bot for _, bot in stored] == [[m.get("text") or "" for m in reply] for _, _, reply in turns]
    assert watch.problems() == []


def test_the_conversation_goes_on_after_two_misunderstandings(robust, sender):
    """Found by the fuzz test: a second unclear message in a row made the assistant repeat
    "Sorry, I still don't understand" until Rasa's circuit breaker stopped it, and from then
    on every message of that visitor went unanswered (Rasa counts the actions since the
    last action_listen, and there was none)."""
    first = robust.send(sender, "umm")
    second = robust.send(sender, "huh")
    assert replies_with_text(first) and replies_with_text(second)
    assert not repeats(second), [m.get("text", "")[:50] for m in second]
    assert "collagen" in texts(robust.send(sender, "What is microneedling?")).lower()


def test_stop_outside_the_aftercare_question(robust, sender):
    assert replies_with_text(robust.send(sender, "hello"))
    reply = robust.send(sender, "stop")
    assert replies_with_text(reply) and not repeats(reply), [m.get("text", "")[:50] for m in reply]
    assert "collagen" in texts(robust.send(sender, "What is microneedling?")).lower()
