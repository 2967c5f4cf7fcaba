"""What visitors asked and how the assistant answered, read from the tracker store's events:
the figures, charts and page of `make report` (scripts/conversations.py report).

A turn is one visitor message and what the assistant did until the next one. Its outcome:
- answered: an answer from the guide (utter_faq);
- declined: "the guide doesn't cover that" (utter_out_of_scope);
- unclear: the "did you mean...?" clarification (action_clarify_question);
- aftercare: the aftercare timing (its form or its answer);
- feedback: the visitor said whether the answer before helped (👍 / 👎, "yes", "no", or
  annoyance right after it; actions/feedback.py keeps it as the slot `feedback`);
- other: small talk, consultation requests, "where does it say that?".
A turn may also have led to a consultation suggestion. An answered turn the visitor then
rated has `helpful` set; one rated 👎 counts among what failed.
"""

import base64
import html
import io
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple
from zoneinfo import ZoneInfo

OUTCOMES = ("answered", "declined", "unclear", "aftercare", "feedback", "other")
FAILED = ("declined", "unclear")
NOT_HELPFUL = "not helpful"
EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
PHONE = re.compile(r"\+?\d[\d\s().-]{5,}\d")


def masked(text: str) -> str:
    """The message without the email addresses and phone numbers a visitor may type."""
    return PHONE.sub("[phone]", EMAIL.sub("[email]", text))


@dataclass
class Turn:
    sender: str
    day: str  # the clinic's local date, YYYY-MM-DD
    text: str  # masked
    intent: str
    confidence: float
    nearest_answer: Optional[str]  # the FAQ answer the model ranked first
    nearest_confidence: float
    answered_with: Optional[str]  # the FAQ answer sent, when one was
    outcome: str
    consultation: bool
    helpful: Optional[bool] = None  # what the visitor said of the answer, when asked or volunteered

    @property
    def failure(self) -> Optional[str]:
        """Why the turn counts among what failed: its outcome, "not helpful" (👎), or None."""
        if self.outcome in FAILED:
            return self.outcome
        return NOT_HELPFUL if self.helpful is False else None


def _outcome(actions: List[str], rated: bool) -> str:
    if rated:
        return "feedback"
    if "action_clarify_question" in actions:
        return "unclear"
    if "utter_out_of_scope" in actions:
        return "declined"
    if "utter_faq" in actions:
        return "answered"
    if "action_aftercare_timing" in actions or "aftercare_timing_form" in actions:
        return "aftercare"
    return "other"


def turns(events_by_sender: Iterable[Tuple[str, List[Dict[str, Any]]]], timezone: str) -> Iterator[Turn]:
    """The turns of each conversation (its events in order)."""
    zone = ZoneInfo(timezone)
    for sender, events in events_by_sender:
        conversation: List[Turn] = []
        user: Optional[Dict[str, Any]] = None
        following: List[Dict[str, Any]] = []
        for event in [*events, None]:
            if event is None or event.get("event") == "user":
                if user is not None:
                    conversation.append(_turn(sender, user, following, zone))
                    rating = _rating(following)
                    if rating and len(conversation) > 1 and conversation[-2].answered_with == rating["answer"]:
                        conversation[-2].helpful = bool(rating["helpful"])
                user, following = event, []
            elif user is not None:
                following.append(event)
        yield from conversation


def _rating(following: List[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """What the visitor said of the answer before, as actions/feedback.py keeps it."""
    for event in following:
        if event.get("event") == "slot" and event.get("name") == "feedback" and isinstance(event.get("value"), dict):
            return event["value"]
    return None


def _turn(sender: str, user: Dict[str, Any], following: List[Dict[str, Any]], zone: ZoneInfo) -> Turn:
    parsed = user.get("parse_data") or {}
    intent = parsed.get("intent") or {}
    selector = (parsed.get("response_selector") or {}).get("faq") or {}
    ranking = selector.get("ranking") or []
    actions = [event.get("name") for event in following if event.get("event") == "action"]
    outcome = _outcome(actions, rated=_rating(following) is not None)
    answered_with = (selector.get("response") or {}).get("intent_response_key") if outcome == "answered" else None
    consultation = any(
        event.get("event") == "slot"
        and event.get("name") == "consultation_suggested_turn"
        and event.get("value") is not None
        for event in following
    )
    return Turn(
        sender=sender,
        day=datetime.fromtimestamp(user.get("timestamp") or 0, zone).date().isoformat(),
        text=masked(" ".join((user.get("text") or "").split())),
        intent=intent.get("name") or "",
        confidence=round(float(intent.get("confidence") or 0), 3),
        nearest_answer=ranking[0].get("intent_response_key") if ranking else None,
        nearest_confidence=round(float(ranking[0].get("confidence") or 0), 3) if ranking else 0.0,
        answered_with=answered_with,
        outcome=outcome,
        consultation=consultation,
    )


def figures(all_turns: List[Turn], days: float, with_senders: bool = False) -> Dict[str, Any]:
    """The report's figures, as the JSON file holds them."""
    messages = len(all_turns)
    outcomes = Counter(turn.outcome for turn in all_turns)

    def share(count: int) -> float:
        return round(count / messages, 4) if messages else 0.0

    per_day: Dict[str, Counter] = defaultdict(Counter)
    for turn in all_turns:
        per_day[turn.day]["messages"] += 1
        per_day[turn.day]["answered"] += turn.outcome == "answered"
    failed: Dict[str, List[Dict[str, Any]]] = defaultdict(list)
    feedback: Dict[str, Counter] = defaultdict(Counter)
    for turn in all_turns:
        if turn.helpful is not None:
            feedback[turn.answered_with or "none"]["helpful" if turn.helpful else "not_helpful"] += 1
        if turn.failure:
            entry = {
                "text": turn.text,
                "outcome": turn.failure,
                "intent": turn.intent,
                "confidence": turn.confidence,
                "nearest_confidence": turn.nearest_confidence,
            }
            if with_senders:
                entry["sender"] = turn.sender
            failed[turn.nearest_answer or "none"].append(entry)
    return {
        "days": days,
        "conversations": len({turn.sender for turn in all_turns}),
        "messages": messages,
        "shares": {outcome: share(outcomes[outcome]) for outcome in OUTCOMES},
        "consultation_suggested": share(sum(turn.consultation for turn in all_turns)),
        "answers": dict(Counter(turn.answered_with for turn in all_turns if turn.answered_with).most_common()),
        "feedback": {
            answer: {"helpful": feedback[answer]["helpful"], "not_helpful": feedback[answer]["not_helpful"]}
            for answer in sorted(feedback)
        },
        "failed": {answer: failed[answer] for answer in sorted(failed, key=lambda key: (-len(failed[key]), key))},
        "per_day": {
            day: {"messages": count["messages"], "answered": count["answered"]}
            for day, count in sorted(per_day.items())
        },
    }


def charts(report: Dict[str, Any]) -> Dict[str, str]:
    """The two charts as PNG data URLs, so the page needs no other file."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    days = list(report["per_day"])
    counts = [report["per_day"][day]["messages"] for day in days]
    answered = [report["per_day"][day]["answered"] / report["per_day"][day]["messages"] * 100 for day in days]
    images = {}
    for name, values, kind, label in (
        ("messages", counts, "bar", "messages"),
        ("answered", answered, "line", "% answered from the guide"),
    ):
        figure, axes = plt.subplots(figsize=(7, 2.6), dpi=100)
        if kind == "bar":
            axes.bar(days, values, color="#2f5d62")
        else:
            axes.plot(days, values, marker="o", color="#2f5d62")
            axes.set_ylim(0, 100)
        axes.set_ylabel(label)
        axes.tick_params(axis="x", labelrotation=45, labelsize=8)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        plt.close(figure)
        images[name] = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    return images


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def page(report: Dict[str, Any], images: Dict[str, str]) -> str:
    """A self-contained HTML page: no scripts, nothing loaded from elsewhere."""
    e = html.escape
    labels = {
        "answered": "answered from the guide",
        "declined": "declined as not covered",
        "unclear": 'unclear ("did you mean...?")',
        "aftercare": "aftercare timing",
        "feedback": "said whether an answer helped",
        "other": "other",
    }
    shares = "".join(
        f"<tr><th scope=row>{e(labels[o])}</th><td>{_percent(report['shares'][o])}</td></tr>" for o in OUTCOMES
    )
    rated = report["feedback"]
    answers = (
        "".join(
            f"<tr><th scope=row>{e(key)}</th><td>{count}</td><td>{rated.get(key, {}).get('helpful', 0)}</td>"
            f"<td>{rated.get(key, {}).get('not_helpful', 0)}</td></tr>"
            for key, count in report["answers"].items()
        )
        or "<tr><td colspan=4>none</td></tr>"
    )
    failed = ""
    for answer, entries in report["failed"].items():
        rows = "".join(
            f"<tr><td>{e(entry['text'])}</td><td>{e(entry['outcome'])}</td><td>{e(entry['intent'])} "
            f"{entry['confidence']:.2f}</td><td>{entry['nearest_confidence']:.2f}</td>"
            + (f"<td>{e(entry['sender'])}</td>" if "sender" in entry else "")
            + "</tr>"
            for entry in entries
        )
        sender_head = "<th scope=col>sender</th>" if entries and "sender" in entries[0] else ""
        failed += (
            f"<h3>Nearest answer: {e(answer)} ({len(entries)})</h3><table><tr><th scope=col>message</th>"
            f"<th scope=col>outcome</th><th scope=col>model chose</th><th scope=col>nearest answer's "
            f"confidence</th>{sender_head}</tr>{rows}</table>"
        )
    per_day = "".join(
        f"<tr><th scope=row>{e(day)}</th><td>{count['messages']}</td><td>{count['answered']}</td></tr>"
        for day, count in report["per_day"].items()
    )
    graphs = ""
    if report["per_day"]:
        graphs = (
            f'<img src="{images["messages"]}" alt="Messages per day (the table below gives the numbers)">'
            f'<img src="{images["answered"]}" alt="Share of messages answered from the guide per day '
            f'(the table below gives the numbers)">'
        )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>What visitors asked: last {report["days"]:g} days</title>
<style>body{{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1f2a2c}}
table{{border-collapse:collapse;margin:.5rem 0 1.5rem}}th,td{{border:1px solid #c8d3d1;padding:.3rem .6rem;text-align:left;vertical-align:top}}
img{{max-width:100%;display:block;margin:.5rem 0}}</style></head><body>
<h1>What visitors asked: last {report["days"]:g} days</h1>
<p>{report["conversations"]} conversations, {report["messages"]} messages; a consultation was suggested after
{_percent(report["consultation_suggested"])} of them.</p>
<h2>How messages were answered</h2><table>{shares}</table>
<h2>Answers sent</h2><p>With what visitors said when asked "Was this answer helpful?".</p>
<table><tr><th scope=col>answer</th><th scope=col>times</th><th scope=col>👍 helpful</th>
<th scope=col>👎 not helpful</th></tr>{answers}</table>
<h2>Per day</h2>{graphs}<table><tr><th scope=col>day</th><th scope=col>messages</th><th scope=col>answered from
the guide</th></tr>{per_day}</table>
<h2>What failed</h2><p>Messages the assistant did not understand or declined, and questions whose answer a
visitor rated 👎 (not helpful), under the answer the model found nearest. <code>scripts/conversations.py candidates</code> writes them as training data to label.</p>
{failed or "<p>Nothing failed.</p>"}
</body></html>
"""


def to_json(report: Dict[str, Any]) -> str:
    return json.dumps(report, indent=1, ensure_ascii=False)
