"""scripts/insight.py on conversations as the tracker store keeps their events."""

from scripts import insight

NOON = 1764676800  # 2025-12-02 12:00 UTC


def user(text, intent, answer=None, nearest=None, at=NOON):
    selector = {}
    if answer or nearest:
        selector = {
            "faq": {
                "response": {"intent_response_key": answer},
                "ranking": [{"intent_response_key": nearest or answer, "confidence": 0.3}],
            }
        }
    return {
        "event": "user",
        "text": text,
        "timestamp": at,
        "parse_data": {"intent": {"name": intent, "confidence": 0.9}, "response_selector": selector},
    }


def action(name):
    return {"event": "action", "name": name}


def bot(text):
    return {"event": "bot", "text": text}


CONVERSATION = [
    action("action_session_start"),
    action("action_listen"),
    user("what is it", "faq", answer="faq/what_is_microneedling"),
    action("utter_faq"),
    bot("..."),
    action("action_listen"),
    user("how much", "out_of_scope", nearest="faq/effectiveness"),
    action("utter_out_of_scope"),
    bot("..."),
    action("action_suggest_consultation"),
    bot("..."),
    {"event": "slot", "name": "consultation_suggested_turn", "value": 2},
    action("action_listen"),
    user("call 07700 900123 or jo@example.com", "nlu_fallback", nearest="faq/aftercare"),
    action("action_clarify_question"),
    bot("..."),
    action("action_listen"),
    user("had it yesterday", "ask_aftercare_timing", at=NOON + 86400),
    action("action_aftercare_timing"),
    user("hi", "greet", at=NOON + 86400),
    action("utter_greet"),
]


def test_each_message_is_a_turn_with_its_outcome():
    turns = list(insight.turns([("visitor-1", CONVERSATION)], "Europe/London"))
    assert [t.outcome for t in turns] == ["answered", "declined", "unclear", "aftercare", "other"]
    assert turns[0].answered_with == "faq/what_is_microneedling"
    assert [t.consultation for t in turns] == [False, True, False, False, False]
    assert turns[2].text == "call [phone] or [email]"
    assert [t.day for t in turns] == ["2025-12-02"] * 3 + ["2025-12-03"] * 2


def test_the_day_is_the_clinics():
    # 12:00 UTC is already the next day in Auckland (UTC+13 in December).
    late = [user("what is it", "faq", answer="faq/what_is_microneedling", at=NOON)]
    assert next(insight.turns([("v", late)], "Pacific/Auckland")).day == "2025-12-03"


def test_figures_count_shares_answers_and_failures_without_senders():
    turns = list(insight.turns([("visitor-1", CONVERSATION), ("visitor-2", CONVERSATION[:6])], "Europe/London"))
    report = insight.figures(turns, 30)
    assert report["conversations"] == 2 and report["messages"] == 6
    assert report["shares"]["answered"] == round(2 / 6, 4)
    assert report["answers"] == {"faq/what_is_microneedling": 2}
    assert set(report["failed"]) == {"faq/effectiveness", "faq/aftercare"}
    assert "sender" not in report["failed"]["faq/effectiveness"][0]
    assert report["per_day"] == {
        "2025-12-02": {"messages": 4, "answered": 2},
        "2025-12-03": {"messages": 2, "answered": 0},
    }
    with_senders = insight.figures(turns, 30, with_senders=True)
    assert with_senders["failed"]["faq/effectiveness"][0]["sender"] == "visitor-1"


def test_an_empty_store_gives_a_page_too():
    report = insight.figures([], 30)
    assert report["messages"] == 0 and report["shares"]["answered"] == 0.0
    assert "Nothing failed." in insight.page(report, {})


def test_the_page_shows_visitor_text_as_text():
    unclear = [
        user("<script>alert(1)</script> & <b>", "nlu_fallback", nearest="faq/x"),
        action("action_clarify_question"),
    ]
    turns = list(insight.turns([("v", unclear)], "Europe/London"))
    report = insight.figures(turns, 30)
    page = insight.page(report, insight.charts(report))
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;" in page


def feedback(answer, helpful):
    return {"event": "slot", "name": "feedback", "value": {"answer": answer, "helpful": helpful}}


RATED = [
    action("action_listen"),
    user("does it hurt", "faq", answer="faq/does_it_hurt"),
    action("utter_faq"),
    action("utter_ask_feedback"),
    action("action_listen"),
    user("/deny", "deny"),
    action("action_feedback"),
    feedback("faq/does_it_hurt", False),
    action("action_listen"),
    user("how deep", "faq", answer="faq/needle_depth"),
    action("utter_faq"),
    action("action_listen"),
    user("yes", "affirm"),
    action("action_feedback"),
    feedback("faq/needle_depth", True),
    action("action_listen"),
    user("no", "deny"),
    action("action_feedback"),
    action("utter_frustration"),  # about nothing: not kept
]


def test_feedback_is_counted_per_answer_and_a_thumbs_down_is_a_failure():
    turns = list(insight.turns([("v", RATED)], "Europe/London"))
    assert [t.outcome for t in turns] == ["answered", "feedback", "answered", "feedback", "other"]
    assert [t.helpful for t in turns] == [False, None, True, None, None]
    report = insight.figures(turns, 30)
    assert report["feedback"] == {
        "faq/does_it_hurt": {"helpful": 0, "not_helpful": 1},
        "faq/needle_depth": {"helpful": 1, "not_helpful": 0},
    }
    failed = [(entry["text"], entry["outcome"]) for entries in report["failed"].values() for entry in entries]
    assert failed == [("does it hurt", "not helpful")]
    page = insight.page(report, insight.charts(report))
    assert "👎" in page and "not helpful" in page
