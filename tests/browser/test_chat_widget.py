"""The clinic page and its chat widget in a real browser, against the stack `make run` starts.

Debian's headless Chromium, driven by Playwright, opens the address scripts/run.sh
printed; the widget talks to the real Rasa server over socket.io, which calls the real
action server. Screenshots go to test-artifacts/.
"""

import json
import sys
import time

import pytest
import requests

from actions.settings import load_aftercare_schedule
from tests.harness.conversations import saved_user_texts
from tests.harness.processes import Process, answers, conversations_script, endpoints_like_project, free_port
from tests.harness.project import ARTIFACTS

from .conftest import BOOKING_URL, CLINIC_NAME, HOSTILE_OPENING_HOURS

SCHEDULE = {phase.name: phase for phase in load_aftercare_schedule().phases}
GREETING = "I can answer questions about microneedling"
SCRIPT_MESSAGE = "<script>window.__xss=1</script>"
IMG_MESSAGE = '<img src=x onerror="window.__xss=2">'


# --- helpers ------------------------------------------------------------------------


BOT_MESSAGES = "#chat .from-bot .chat-text"
VISITOR_MESSAGES = "#chat .from-visitor .chat-text"


def bot_message_count(page) -> int:
    return page.locator(BOT_MESSAGES).count()


def wait_for_bot(page, before: int, expected: str = "") -> str:
    """Wait until a bot message after the first `before` ones contains `expected`; their text."""
    page.wait_for_function(
        """([selector, before, expected]) => [...document.querySelectorAll(selector)]
               .slice(before).some(message => message.innerText.includes(expected))""",
        arg=[BOT_MESSAGES, before, expected],
    )
    return "\n".join(page.locator(BOT_MESSAGES).all_inner_texts()[before:])


def say(page, text: str, expected: str = "") -> str:
    """Type a message as a visitor would and return the bot's answer once it contains `expected`."""
    before = bot_message_count(page)
    page.get_by_role("textbox", name="Your question").fill(text)
    page.keyboard.press("Enter")
    return wait_for_bot(page, before, expected)


def open_chat(page, url: str) -> None:
    page.goto(url)
    page.get_by_role("button", name="Ask our assistant").click()
    page.get_by_role("dialog", name="Microneedling questions").wait_for()
    wait_for_bot(page, 0, GREETING)


def quick_replies(page):
    return page.get_by_role("log").get_by_role("group", name="Suggested replies").get_by_role("button")


def session_id(page) -> str:
    return page.evaluate("JSON.parse(localStorage.getItem('chat_session')).session_id")


def visitor_messages_kept_by_rasa(stack, widget_session_id: str, count: int) -> list:
    """What the Rasa server's tracker store holds as this widget session's messages."""
    return saved_user_texts(stack.tracker_db, f"web:{widget_session_id}", count)


def assert_nothing_ran(page) -> None:
    assert page.evaluate("typeof window.__xss") == "undefined", "injected code ran"
    assert page.locator("#chat [role=log] img").count() == 0
    assert page.locator("#chat [role=log] script").count() == 0


def assert_clean(page) -> None:
    watch = page.watch
    assert watch.outside_requests == [], f"the page loaded things from elsewhere: {watch.outside_requests}"
    assert watch.page_errors == [], watch.page_errors
    assert watch.csp_violations == [], watch.csp_violations


# --- tests --------------------------------------------------------------------------


def test_run_prints_the_page_address_and_serves_it(stack):
    assert stack.page_url == f"http://localhost:{stack.web_port}"
    response = requests.get(f"http://127.0.0.1:{stack.web_port}/", timeout=10)
    assert response.ok and "Ask our assistant" in response.text
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    config = requests.get(f"http://127.0.0.1:{stack.web_port}/config.js", timeout=10).text
    assert f'"rasaPort": {stack.rasa_port}' in config


def test_the_page_shows_the_clinics_name_from_its_settings(stack, page):
    page.goto(stack.page_url)
    assert page.locator("header [data-clinic-name]").inner_text() == CLINIC_NAME
    assert page.title() == f"Microneedling | {CLINIC_NAME}"


def test_visitor_asks_questions_and_clicks_a_quick_reply(stack, page):
    open_chat(page, stack.page_url)

    assert "collagen induction therapy" in say(page, "What is microneedling?", "collagen induction therapy")
    assert "topical anaesthetic" in say(page, "Does it hurt?", "topical anaesthetic")
    answer = say(page, "Will my skin be red afterwards?", "sunburn")
    assert "a day or two" in answer

    # The last answer offers related questions as buttons; click one.
    titles = quick_replies(page).all_inner_texts()
    assert len(titles) >= 2, titles
    choice = next(title for title in titles if title == "How long until I see results?")
    before = bot_message_count(page)
    quick_replies(page).filter(has_text=choice).click()
    # The choice shows as the visitor's message, and the assistant answers that question.
    page.locator(VISITOR_MESSAGES, has_text=choice).wait_for()
    assert "begins to heal" in wait_for_bot(page, before, "begins to heal")

    page.wait_for_timeout(500)  # let the last message settle before the picture
    page.screenshot(path=str(ARTIFACTS / "browser-chat.png"))
    assert_clean(page)


def test_thumbs_down_in_the_widget_reaches_the_staff_report(stack, page, tmp_path):
    open_chat(page, stack.page_url)
    question = "how deep does the needle go into my skin"
    assert "Was this answer helpful?" in say(page, question, "Was this answer helpful?")
    before = bot_message_count(page)
    quick_replies(page).filter(has_text="👎 No").click()
    assert "qualified professional" in wait_for_bot(page, before, "Maybe one of these")
    # The other topics are the last message's buttons, so the widget shows them.
    quick_replies(page).first.wait_for()
    assert quick_replies(page).count() >= 1

    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(endpoints_like_project(f"http://127.0.0.1:{stack.action_port}", stack.tracker_db))
    conversations_script(endpoints, "report", "--days", "1", "--out", str(tmp_path), check=True)
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["feedback"]["faq/needle_depth"]["not_helpful"] >= 1
    rated_down = [
        entry["text"] for entries in report["failed"].values() for entry in entries if entry["outcome"] == "not helpful"
    ]
    assert question in rated_down
    assert_clean(page)


def test_the_browser_forgets_a_conversation_a_day_after_its_last_reply(stack, page):
    open_chat(page, stack.page_url)
    say(page, "what is microneedling?", "collagen")
    first_session = session_id(page)
    page.reload()  # the same day: it is kept
    page.locator(VISITOR_MESSAGES, has_text="what is microneedling?").wait_for()

    # Loading the page is not a reply: it does not keep the conversation longer.
    almost_a_day_ago = page.evaluate("String(Date.now() - 23 * 3600 * 1000)")
    page.evaluate(f"localStorage.setItem('chat_last_used', '{almost_a_day_ago}')")
    page.reload()
    page.locator(VISITOR_MESSAGES, has_text="what is microneedling?").wait_for()
    assert page.evaluate("localStorage.getItem('chat_last_used')") == almost_a_day_ago

    page.evaluate("localStorage.setItem('chat_last_used', String(Date.now() - 25 * 3600 * 1000))")
    page.reload()
    page.get_by_role("button", name="Ask our assistant").click()
    wait_for_bot(page, 0, GREETING)
    assert page.locator(VISITOR_MESSAGES, has_text="what is microneedling?").count() == 0
    assert session_id(page) != first_session
    assert_clean(page)


def test_reload_keeps_the_conversation(stack, page):
    open_chat(page, stack.page_url)
    # The aftercare form asks for a date: the Rasa server now waits for the answer.
    asked = say(page, "which aftercare applies to me at this point?", "When did you have your microneedling")
    assert "When did you have" in asked
    first_session = session_id(page)

    page.reload()
    page.get_by_role("dialog", name="Microneedling questions").wait_for()  # it stays open
    messages = page.get_by_role("log")
    # The visitor still sees the whole conversation, greeted once ...
    assert page.locator(VISITOR_MESSAGES, has_text="which aftercare applies to me").count() == 1
    assert messages.inner_text().count(GREETING) == 1
    assert "When did you have your microneedling" in messages.inner_text()
    assert session_id(page) == first_session
    # ... and the server continues it: the date answers the question asked before the reload.
    now = SCHEDULE["first_two_days"].now
    answer = say(page, "yesterday", now)
    assert "yesterday" in answer and now in answer
    # The Rasa server kept both sides of the reload in one conversation, keyed by the widget's id.
    assert visitor_messages_kept_by_rasa(stack, first_session, 3) == [
        "hello",
        "which aftercare applies to me at this point?",
        "yesterday",
    ]
    page.wait_for_timeout(1500)  # let the last messages settle before the picture
    page.screenshot(path=str(ARTIFACTS / "browser-after-reload.png"))
    assert_clean(page)


@pytest.mark.parametrize("message", [SCRIPT_MESSAGE, IMG_MESSAGE], ids=["script", "img-onerror"])
def test_html_in_a_visitor_message_is_shown_as_text(stack, page, message):
    open_chat(page, stack.page_url)
    before = bot_message_count(page)
    page.get_by_role("textbox", name="Your question").fill(message)
    page.keyboard.press("Enter")
    wait_for_bot(page, before)  # the assistant answered, so the message went all the way round
    assert page.locator(VISITOR_MESSAGES).last.inner_text() == message
    assert_nothing_ran(page)
    assert_clean(page)


def test_booking_link_opens_in_a_new_tab_and_reply_html_stays_inert(stack, page, context):
    context.route(
        BOOKING_URL, lambda route: route.fulfill(body="<h1>Book a consultation</h1>", content_type="text/html")
    )
    open_chat(page, stack.page_url)
    answer = say(page, "I want to book a consultation", "book a consultation online")

    # The Markdown link is a link, to the clinic's booking page, in a new tab.
    link = page.get_by_role("log").get_by_role("link", name="book a consultation online")
    assert link.get_attribute("href") == BOOKING_URL
    assert link.get_attribute("target") == "_blank"
    assert "noopener" in link.get_attribute("rel")
    with context.expect_page() as new_tab:
        link.click()
    assert new_tab.value.url == BOOKING_URL
    new_tab.value.close()

    # The opening hours carry HTML and a javascript: link; both reach the visitor inert.
    assert '<img src=x onerror="window.__xss=3">' in answer
    # Only http(s), mailto and tel links are links; this one is its text alone.
    assert "see all hours" in answer
    assert page.get_by_role("log").get_by_role("link", name="see all hours").count() == 0
    assert page.locator("#chat a[href^='javascript' i]").count() == 0
    page.get_by_role("log").get_by_text("see all hours").last.click()
    page.wait_for_timeout(500)
    assert_nothing_ran(page)
    page.screenshot(path=str(ARTIFACTS / "browser-booking.png"))
    assert page.watch.outside_requests == []
    assert "(" + HOSTILE_OPENING_HOURS.split(" [")[0] in answer


def test_other_origins_may_not_use_the_chat(stack, page):
    # Only the page's origins are allowed, never "*".
    handshake = f"{stack.rasa_url}/socket.io/?EIO=4&transport=polling"
    for origin in stack.origins:
        allowed = requests.get(handshake, headers={"Origin": origin}, timeout=10)
        assert allowed.headers.get("Access-Control-Allow-Origin") == origin
    refused = requests.get(handshake, headers={"Origin": "http://evil.example"}, timeout=10)
    assert "Access-Control-Allow-Origin" not in refused.headers
    assert refused.status_code == 403  # refused by the server too, not only by browsers

    # The same page from an origin Rasa does not list: the browser refuses the connection.
    port = free_port()
    other = Process(
        "browser-other-origin-web",
        [sys.executable, "scripts/serve_web.py", "--port", str(port), "--rasa-port", str(stack.rasa_port)],
    )
    other.start()
    try:
        other.wait_for(lambda: answers(f"http://127.0.0.1:{port}/"), "scripts/serve_web.py")
        with page.expect_console_message(lambda message: "CORS policy" in message.text):
            page.goto(f"http://127.0.0.1:{port}/")
        page.get_by_role("button", name="Ask our assistant").click()
        # The visitor is told the chat is not there yet, instead of silence.
        page.get_by_role("status").filter(has_text="Connecting to the assistant").wait_for()
        page.wait_for_timeout(2000)
        assert page.get_by_role("log").inner_text() == ""
        stored = page.evaluate("localStorage.getItem('chat_session')")
        assert stored is None or json.loads(stored)["session_id"] is None  # no session was given
    finally:
        other.stop()


def test_a_callback_request_in_the_widget_reaches_the_clinic(stack, page):
    open_chat(page, stack.page_url)
    offer = say(page, "I want to book a consultation", "book a consultation online")
    assert "book a consultation online" in offer
    before = bot_message_count(page)
    quick_replies(page).filter(has_text="Ask the clinic to contact me").click()
    wait_for_bot(page, before, "What name should they ask for")
    say(page, "Ana Widget", "phone number or email address")
    say(page, "07911 123456", "When suits you")
    say(page, "weekday mornings", "May I send your name")
    before = bot_message_count(page)
    quick_replies(page).filter(has_text="Yes, pass it on").click()
    assert "the clinic will contact you by phone" in wait_for_bot(page, before, "will contact you")
    deadline = time.monotonic() + 30
    while not stack.receiver.named("Ana Widget") and time.monotonic() < deadline:
        time.sleep(0.2)
    (request,) = stack.receiver.named("Ana Widget")
    assert request["contact"] == {"kind": "phone", "value": "+447911123456"}
    assert request["questions"] == ["I want to book a consultation"]
    assert_clean(page)
