"""Callback requests end to end: a visitor asks the clinic to contact them over REST, and
the request reaches a real SMTP server (aiosmtpd) and a webhook receiver on loopback,
once, even when the mail server is down for a while or the action server restarts.
"""

import time

import pytest

from tests.clinic_inbox import SECRET, Mailbox, Receiver
from tests.harness.conversations import texts
from tests.harness.processes import conversations_script, free_port, running_assistant, wait_for

PHONE, PHONE_E164 = "07911 123456", "+447911123456"
EMAIL = "sam.taylor@example.org"


@pytest.fixture(scope="module")
def clinic(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("callback")
    mailbox, receiver = Mailbox(free_port()), Receiver()
    mailbox.start()
    settings = tmp / "clinic.yml"
    settings.write_text(
        "name: Harbour Skin Clinic\ntimezone: Europe/London\n"
        f"callback_requests:\n  email_to: desk@harbour.example\n  webhook_url: {receiver.url}\n"
        "  country: GB\n  retention_days: 30\n"
    )
    env = {
        "CLINIC_SETTINGS_FILE": str(settings),
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(mailbox.port),
        "SMTP_FROM": "assistant@harbour.example",
        "CALLBACK_WEBHOOK_SECRET": SECRET,
        "CALLBACK_RETRY_SECONDS": "1",
    }
    with running_assistant(tmp, env=env, name="callback") as servers:
        servers.mailbox, servers.receiver = mailbox, receiver
        yield servers
    mailbox.stop()
    receiver.server.shutdown()


def request_list(servers) -> str:
    return conversations_script(servers.endpoints, "requests", check=True).stdout


def ask_to_be_called(servers, sender: str, name: str) -> None:
    assert "What name should they ask for" in texts(servers.send(sender, "can someone from the clinic call me back?"))
    assert "phone number or email address" in texts(servers.send(sender, name))


def complete_request(servers, sender: str, name: str, reach: str, when: str) -> None:
    ask_to_be_called(servers, sender, name)
    servers.send(sender, reach)
    servers.send(sender, when)
    assert "will contact you" in texts(servers.send(sender, "yes"))


def test_a_whole_request_reaches_the_clinic_by_email_and_webhook(clinic, sender):
    offer = clinic.send(sender, "I want to book a consultation")
    assert any(button["title"] == "Ask the clinic to contact me" for m in offer for button in m.get("buttons", []))
    clinic.send(sender, "what is microneedling?")
    assert "What name should they ask for" in texts(clinic.send(sender, "/request_callback"))
    assert "phone number or email address" in texts(clinic.send(sender, "Sam Taylor"))
    # Not a number anyone could call: asked again, with the reason.
    assert "full phone number" in texts(clinic.send(sender, "12345"))
    assert "When suits you" in texts(clinic.send(sender, PHONE))
    # A question in the middle is answered, then the form asks again.
    middle = texts(clinic.send(sender, "does it hurt?"))
    assert "anaesthetic" in middle and "When suits you" in middle
    consent = clinic.send(sender, "weekday mornings")
    # One sentence: what is sent (with the contact to be used), to whom, why, for how long.
    assert f"May I send your name, {PHONE_E164}," in texts(consent) and "30 days" in texts(consent)
    done = texts(clinic.send(sender, "yes"))
    assert "the clinic will contact you by phone" in done
    assert "booked" not in done

    wait_for(
        lambda: clinic.receiver.named("Sam Taylor") and clinic.mailbox.bodies("Sam Taylor"), "delivery", timeout=30
    )
    (sent,) = clinic.receiver.named("Sam Taylor")
    assert sent["contact"] == {"kind": "phone", "value": PHONE_E164}
    assert sent["preferred_time"] == "weekday mornings"
    assert sent["questions"] == ["I want to book a consultation", "what is microneedling?", "does it hurt?"]
    assert clinic.receiver.bad_signatures == 0
    (email,) = clinic.mailbox.bodies("Sam Taylor")
    assert PHONE_E164 in email and "weekday mornings" in email and "does it hurt?" in email

    listed = request_list(clinic)
    assert "Sam Taylor" in listed and "delivered" in listed
    # Nor the staff report, not even as messages the assistant did not understand.
    report_dir = clinic.tmp / "report"
    conversations_script(clinic.endpoints, "report", "--days", "1", "--out", str(report_dir), check=True)
    report = (report_dir / "report.json").read_text() + (report_dir / "report.html").read_text()
    assert "Sam Taylor" not in report and "7911" not in report and "weekday mornings" not in report
    # Contact details never reach the logs.
    for log in (clinic.action.process.log, clinic.rasa.process.log):
        text = log.read_text()
        assert PHONE_E164 not in text and "7911" not in text and "Sam Taylor" not in text, log


def test_invalid_email_is_asked_again_and_a_later_correction_is_used(clinic, sender):
    ask_to_be_called(clinic, sender, "Priya")
    assert "phone number or an email address" in texts(clinic.send(sender, "priya at example dot org"))
    assert "When suits you" in texts(clinic.send(sender, "07400 123456"))
    changed = texts(clinic.send(sender, f"actually use my email {EMAIL}"))
    assert f"the clinic will use {EMAIL} instead" in changed and "When suits you" in changed
    clinic.send(sender, "after 5pm")
    assert "by email" in texts(clinic.send(sender, "yes"))
    wait_for(lambda: clinic.receiver.named("Priya"), "webhook", timeout=30)
    assert clinic.receiver.named("Priya")[0]["contact"] == {"kind": "email", "value": EMAIL}


@pytest.mark.parametrize("when", ["mornings", "weekday evenings", "good afternoon"])
def test_a_time_of_day_answers_the_time_question_and_a_bare_greeting_does_not(clinic, sender, when):
    ask_to_be_called(clinic, sender, "Ana Time")
    clinic.send(sender, PHONE)
    reply = texts(clinic.send(sender, when))
    if when == "good afternoon":  # a greeting, however timely: the question again, with an example
        assert "when suits you" in reply and "May I send" not in reply, reply
    else:  # the time, and not read as a greeting ("Hi! I can answer questions...")
        assert reply.startswith(f"May I send your name, {PHONE_E164}"), reply
        assert "Hi!" not in reply


def test_a_name_that_reads_as_a_greeting_is_the_name(clinic, sender):
    assert "What name should they ask for" in texts(clinic.send(sender, "can someone from the clinic call me back?"))
    assert "What name should they ask for" in texts(clinic.send(sender, "hello"))  # a bare greeting is no name
    reply = texts(clinic.send(sender, "Mo Ning"))
    assert "phone number or email address" in reply and "Hi!" not in reply, reply
    # A greeting at the next question is not taken for a contact: the question again.
    assert "phone number or email address" in texts(clinic.send(sender, "hello"))


def test_a_name_that_reads_as_a_guide_topic_is_the_name(clinic, sender):
    assert "What name should they ask for" in texts(clinic.send(sender, "can someone from the clinic call me back?"))
    # A question at the name question is answered, then the name is asked for again.
    asked = texts(clinic.send(sender, "does it hurt?"))
    assert "anaesthetic" in asked and "What name should they ask for" in asked, asked
    # The NLU reads this name as a question about redness: not worded as one, it is the name.
    reply = texts(clinic.send(sender, "Sunny Redd"))
    assert reply.startswith("What phone number or email address"), reply
    clinic.send(sender, PHONE)
    clinic.send(sender, "mornings")
    assert "Thank you, Sunny Redd" in texts(clinic.send(sender, "yes"))


def test_stopping_half_way_passes_nothing_on(clinic, sender):
    ask_to_be_called(clinic, sender, "Jo Stopper")
    assert "haven't passed anything on" in texts(clinic.send(sender, "stop"))
    # The form is over: a question now gets its answer, not a re-ask.
    assert "What phone number" not in texts(clinic.send(sender, "does it hurt?"))
    time.sleep(2)
    assert clinic.receiver.named("Jo Stopper") == [] and "Jo Stopper" not in request_list(clinic)


def test_saying_no_to_consent_passes_nothing_on(clinic, sender):
    ask_to_be_called(clinic, sender, "Noel")
    clinic.send(sender, PHONE)
    clinic.send(sender, "any time")
    # A yes or no is the whole answer, not its first word: this is asked again.
    unclear = texts(clinic.send(sender, "no problem"))
    assert "May I send your name" in unclear and "saved" not in unclear
    assert "haven't passed anything on" in texts(clinic.send(sender, "no"))
    assert "Noel" not in request_list(clinic)


def test_an_aftercare_question_in_the_middle_is_answered_and_the_request_goes_on(clinic, sender):
    ask_to_be_called(clinic, sender, "Ali Khan")
    middle = texts(clinic.send(sender, "I had microneedling yesterday, which aftercare applies now?"))
    assert "phone number or email address" in middle
    assert "When suits you" in texts(clinic.send(sender, PHONE))


def test_mail_server_down_then_back_delivers_exactly_once(clinic, sender):
    clinic.mailbox.stop()
    try:
        complete_request(clinic, sender, "Dana Down", PHONE, "evenings")
        # The webhook got it at once; the email waits, retried, and is not lost.
        wait_for(lambda: clinic.receiver.named("Dana Down"), "webhook", timeout=30)
        time.sleep(4)
        assert "pending" in [line for line in request_list(clinic).splitlines() if "Dana Down" in line][0]
    finally:
        clinic.mailbox.start()
    wait_for(lambda: clinic.mailbox.bodies("Dana Down"), "email after the mail server is back", timeout=60)
    time.sleep(5)
    assert len(clinic.mailbox.bodies("Dana Down")) == 1
    assert len(clinic.receiver.named("Dana Down")) == 1


def test_a_restart_between_storing_and_sending_loses_nothing(clinic, sender):
    clinic.mailbox.stop()
    try:
        complete_request(clinic, sender, "Rita Restart", EMAIL, "tuesday")
        clinic.action.stop()
    finally:
        clinic.mailbox.start()
    clinic.action.start()
    # A server stopped while sending hands its claim back, so the new one need not wait out
    # the lease (clinic_inbox.LEASE_SECONDS).
    wait_for(lambda: clinic.mailbox.bodies("Rita Restart"), "email after the restart", timeout=60)
    time.sleep(3)
    assert len(clinic.mailbox.bodies("Rita Restart")) == 1


def test_deleting_the_conversation_erases_its_requests(clinic, sender):
    complete_request(clinic, sender, "Eve Erased", PHONE, "mornings")
    assert "Eve Erased" in request_list(clinic)
    conversations_script(clinic.endpoints, "delete", sender, check=True)
    assert "Eve Erased" not in request_list(clinic)
