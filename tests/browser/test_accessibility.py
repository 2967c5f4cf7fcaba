"""The chat widget for visitors who use a keyboard, a screen reader, zoom or a small screen (WCAG 2.2 AA).

Real Chromium against the stack `make run` starts. axe-core (pinned, fetched by
scripts/fetch_npm_files.py, injected from this machine) checks the page in each state;
the other tests do what a keyboard or screen-reader user does, through roles and
accessible names only, never the widget's class names.
"""

import re

import pytest

from tests.harness.project import ARTIFACTS, PROJECT

AXE = PROJECT / "tests" / "browser" / "vendor" / "axe.min.js"
LAUNCHER = "Chat with our assistant"
MESSAGE_BOX = "Your question"
GREETING = "I can answer questions about microneedling"
RELATED_QUESTION = "How long until I see results?"
# The WCAG 2.0-2.2 A and AA rules, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def serious_violations(page) -> list:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make test-browser` (it fetches axe-core)")
    if page.evaluate("typeof window.axe") == "undefined":
        # Evaluated by the test driver, outside the page's Content-Security-Policy, which
        # (rightly) refuses inline scripts.
        page.evaluate(AXE.read_text())
    result = page.evaluate("async tags => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [
        f"{violation['id']} ({violation['impact']}): {[node['target'] for node in violation['nodes']]}"
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def log(page):
    return page.get_by_role("log")


BOT_MESSAGES = "#chat [role=log] .from-bot"


def bot_message_count(page) -> int:
    return page.locator(BOT_MESSAGES).count()


def wait_for_reply(page, expected: str, before: int = 0) -> None:
    """Wait until a bot message after the first `before` ones contains `expected`."""
    page.wait_for_function(
        """([selector, before, expected]) => [...document.querySelectorAll(selector)]
               .slice(before).some(message => message.innerText.includes(expected))""",
        arg=[BOT_MESSAGES, before, expected],
    )


def ask(page, text: str, expected: str) -> None:
    before = bot_message_count(page)
    page.get_by_role("textbox", name=MESSAGE_BOX).fill(text)
    page.keyboard.press("Enter")
    wait_for_reply(page, expected, before)


def focused(page) -> dict:
    """The focused element: its role or tag, accessible text, and whether its focus is visible."""
    return page.evaluate(
        """() => {
            const element = document.activeElement;
            const style = getComputedStyle(element);
            return {
                tag: element.tagName.toLowerCase(),
                text: (element.getAttribute('aria-label') || element.innerText || '').trim(),
                label: element.labels && element.labels.length ? element.labels[0].innerText.trim() : '',
                visible: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
                inChat: !!element.closest('#chat'),
            };
        }"""
    )


def tab_to(page, matches, most: int = 40) -> dict:
    """Press Tab until the focused element matches; every chat control passed on the way shows its focus."""
    for _ in range(most):
        page.keyboard.press("Tab")
        element = focused(page)
        if element["inChat"]:
            assert element["visible"], f"focus is not visible on {element}"
        if matches(element):
            return element
    raise AssertionError(f"Tab never reached it in {most} presses; last: {focused(page)}")


def open_with_keyboard(page, url: str) -> None:
    page.goto(url)
    page.get_by_role("button", name=LAUNCHER).wait_for()
    tab_to(page, lambda element: element["text"] == LAUNCHER)
    page.keyboard.press("Enter")


# --- tests --------------------------------------------------------------------------


def test_axe_finds_no_serious_problem_closed_open_and_after_answers(stack, page):
    page.goto(stack.page_url)
    page.get_by_role("button", name=LAUNCHER).wait_for()
    assert serious_violations(page) == [], "chat closed"

    page.get_by_role("button", name=LAUNCHER).click()
    wait_for_reply(page, GREETING)
    assert serious_violations(page) == [], "chat open"

    ask(page, "Will my skin be red afterwards?", "sunburn")
    log(page).get_by_role("button", name=RELATED_QUESTION).wait_for()
    assert serious_violations(page) == [], "after answers with buttons"
    page.screenshot(path=str(ARTIFACTS / "browser-accessibility.png"))


def test_a_keyboard_only_conversation(stack, page):
    open_with_keyboard(page, stack.page_url)
    element = focused(page)
    assert element["tag"] == "input" and element["label"] == MESSAGE_BOX, element
    wait_for_reply(page, GREETING)

    page.keyboard.type("Will my skin be red afterwards?")
    page.keyboard.press("Enter")
    wait_for_reply(page, "sunburn")
    log(page).get_by_role("button", name=RELATED_QUESTION).wait_for()

    tab_to(page, lambda element: element["tag"] == "button" and element["text"] == RELATED_QUESTION)
    before = bot_message_count(page)
    page.keyboard.press("Enter")
    wait_for_reply(page, "begins to heal", before)
    # The choice is the visitor's message in the conversation, and typing goes on.
    assert RELATED_QUESTION in log(page).inner_text()
    assert focused(page)["label"] == MESSAGE_BOX

    page.keyboard.press("Escape")
    assert focused(page)["text"] == LAUNCHER
    assert page.get_by_role("textbox", name=MESSAGE_BOX).is_hidden()
    # Space works as well as Enter on the launcher, and focus goes back into the message box.
    page.keyboard.press("Space")
    assert focused(page)["label"] == MESSAGE_BOX


def test_the_close_button_returns_focus_to_the_launcher(stack, page):
    page.goto(stack.page_url)
    page.get_by_role("button", name=LAUNCHER).click()
    wait_for_reply(page, GREETING)
    page.get_by_role("button", name="Close the chat").click()
    assert focused(page)["text"] == LAUNCHER
    assert page.get_by_role("button", name=LAUNCHER).get_attribute("aria-expanded") == "false"


def test_screen_readers_hear_each_reply_once_and_the_buttons_as_buttons(stack, page):
    page.goto(stack.page_url)
    page.get_by_role("button", name=LAUNCHER).click()
    wait_for_reply(page, GREETING)
    # One live region holds the replies: the log. The only other is the status line.
    live = page.evaluate(
        """() => [...document.querySelectorAll('#chat [aria-live], #chat [role=log], #chat [role=status], '
                   + '#chat [role=alert]')].map(e => e.getAttribute('role') || 'aria-live')"""
    )
    assert sorted(live) == ["log", "status"], live

    ask(page, "Will my skin be red afterwards?", "sunburn")
    log(page).get_by_role("button", name=RELATED_QUESTION).wait_for()
    snapshot = log(page).aria_snapshot()
    (ARTIFACTS / "browser-aria-snapshot.yml").write_text(snapshot)
    assert re.search(r"sunburn", snapshot), snapshot
    assert f'- button "{RELATED_QUESTION}"' in snapshot, snapshot
    # Each reply is inside exactly one live region, so it is announced once.
    regions = page.evaluate(
        """() => {
            const reply = [...document.querySelectorAll('#chat [role=log] *')]
                .find(e => e.children.length === 0 && e.textContent.includes('sunburn'));
            let count = 0;
            for (let e = reply; e; e = e.parentElement) {
                if (e.hasAttribute('aria-live') || ['log', 'status', 'alert'].includes(e.getAttribute('role'))) count++;
            }
            return count;
        }"""
    )
    assert regions == 1


def test_a_typing_indicator_screen_readers_hear_as_text(stack, page):
    page.goto(stack.page_url)
    page.get_by_role("button", name=LAUNCHER).click()
    wait_for_reply(page, GREETING)
    # Every text the status line shows, however briefly, from here on.
    page.evaluate(
        """() => {
            window.statusTexts = [];
            const status = document.querySelector('#chat [role=status]');
            new MutationObserver(() => window.statusTexts.push(status.textContent.trim()))
                .observe(status, {childList: true, characterData: true, subtree: true});
        }"""
    )
    ask(page, "does it hurt?", "anaesthetic")
    assert "The assistant is typing…" in page.evaluate("window.statusTexts")
    page.wait_for_function("() => document.querySelector('#chat [role=status]').textContent.trim() === ''")


def test_a_dropped_connection_shows_reconnecting_then_carries_on(stack, page, context):
    page.goto(stack.page_url)
    page.get_by_role("button", name=LAUNCHER).click()
    wait_for_reply(page, GREETING)
    before = bot_message_count(page)
    context.set_offline(True)
    # A question typed as the connection goes is kept, and answered once the chat is back.
    page.get_by_role("textbox", name=MESSAGE_BOX).fill("does it hurt?")
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="Reconnecting").wait_for(timeout=60_000)
    assert page.get_by_role("status").is_visible()
    context.set_offline(False)
    wait_for_reply(page, "anaesthetic", before)
    page.wait_for_function(
        "() => document.querySelector('#chat [role=status]').textContent.trim() === ''", timeout=60_000
    )
    ask(page, "how deep do the needles go?", "depth")


@pytest.mark.parametrize(
    "viewport, scale",
    [({"width": 320, "height": 640}, 1), ({"width": 640, "height": 430}, 2)],
    ids=["320px-wide", "200%-zoom"],
)
def test_usable_on_a_narrow_screen_and_at_200_percent_zoom(stack, browser, viewport, scale):
    context = browser.new_context(viewport=viewport, device_scale_factor=scale)
    try:
        page = context.new_page()
        page.goto(stack.page_url)
        page.get_by_role("button", name=LAUNCHER).click()
        wait_for_reply(page, GREETING)
        ask(page, "Will my skin be red afterwards?", "sunburn")
        log(page).get_by_role("button", name=RELATED_QUESTION).wait_for()
        # No sideways scrolling, and the panel fits the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        dialog = page.get_by_role("dialog").bounding_box()
        assert dialog["x"] >= 0 and dialog["x"] + dialog["width"] <= viewport["width"] + 0.5, dialog
        # Every control can be seen and is at least 24 by 24 CSS pixels.
        controls = [
            page.get_by_role("textbox", name=MESSAGE_BOX),
            page.get_by_role("button", name="Send"),
            page.get_by_role("button", name="Close the chat"),
        ]
        controls += log(page).get_by_role("button").all()
        for control in controls:
            control.scroll_into_view_if_needed()
            assert control.is_visible()
            box = control.bounding_box()
            assert box["width"] >= 24 and box["height"] >= 24, (control, box)
        page.screenshot(path=str(ARTIFACTS / f"browser-{viewport['width']}px.png"))
        # The panel covers the page, so Tab never reaches the page under it, as with a
        # modal dialog (past the last control it leaves the document, then comes back).
        page.get_by_role("textbox", name=MESSAGE_BOX).focus()
        reached = []
        for _ in range(12):
            page.keyboard.press("Tab")
            element = focused(page)
            assert element["inChat"] or element["tag"] == "body", element
            reached.append(element["text"] or element["label"])
        assert "Close the chat" in reached and "Send" in reached, reached
    finally:
        context.close()


def test_no_animation_for_visitors_who_ask_for_reduced_motion(stack, browser):
    moving = """() => [...document.querySelectorAll('#chat, #chat *')].filter(e => {
        const style = getComputedStyle(e);
        return style.animationName !== 'none'
            || style.transitionDuration.split(',').some(d => parseFloat(d) > 0);
    }).map(e => e.className || e.tagName)"""
    for motion, expect_moving in (("no-preference", True), ("reduce", False)):
        context = browser.new_context(reduced_motion=motion)
        try:
            page = context.new_page()
            page.goto(stack.page_url)
            page.get_by_role("button", name=LAUNCHER).click()
            wait_for_reply(page, GREETING)
            # Computed styles hold for hidden elements too: the typing indicator's dots count.
            assert bool(page.evaluate(moving)) is expect_moving, (motion, page.evaluate(moving))
        finally:
            context.close()


def test_a_question_typed_before_the_chat_connects_is_kept_and_answered_after_the_greeting(stack, page):
    # The socket cannot connect at first (its requests fail), as on a slow or flaky network.
    page.route("**/socket.io/**", lambda route: route.abort())
    page.goto(stack.page_url)
    page.get_by_role("button", name=LAUNCHER).click()
    page.get_by_role("status").filter(has_text="Connecting to the assistant").wait_for()
    page.get_by_role("textbox", name=MESSAGE_BOX).fill("does it hurt?")
    page.keyboard.press("Enter")
    page.unroute("**/socket.io/**")
    wait_for_reply(page, "anaesthetic")
    # The question stayed on screen, and the greeting came first.
    assert "does it hurt?" in log(page).inner_text()
    replies = page.locator(BOT_MESSAGES).all_inner_texts()
    assert GREETING in replies[0] and any("anaesthetic" in reply for reply in replies[1:]), replies
