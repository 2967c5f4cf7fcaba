"""A message written wholly in another language (actions/language.py, components/other_language.py):
the guide and the assistant are English, so such a message is asked again in English rather
than declined as "not covered" or answered from a guess."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from actions.language import written_in_another_language
from components.other_language import OtherLanguageCheck


@pytest.mark.parametrize(
    "text",
    [
        "cuántas sesiones necesito?",
        "como es el procedimiento",
        "profundidad de las agujas?",
        "wie funktioniert das?",
        "est-ce que ça fait mal ?",
        "quanto tempo dura a vermelhidão",
        "funziona davvero? ho delle cicatrici",
        "hace 3 dias me hice microneedling, que hago ahora?",
        "duele mucho?",
        "tut das weh?",
        # Hindi and Tagalog typed in Latin letters, with English words of the trade in them
        "kitna dard hota hai?",
        "session mein kya kya hota hai?",
        "masakit ba? 😅",
        "gaano katagal ang pagitan ng sessions? 🙏",
        "kailan ko makikita ang resulta?",
        "ilang beses po kailangan?",
        "magkano po ang isang session?",
    ],
)
def test_a_message_in_another_language_is_recognised(text):
    assert written_in_another_language(text)


@pytest.mark.parametrize(
    "text",
    [
        "does it hurt",
        "frequncy of treatmnets?",
        "microneedling?",
        "price per session?",
        "José García",
        "mañana",
        "CIT meaning?",
        "brauche ich eine beratung? do i need a consult",
        "rides du visage — it works for this?",
        "la roche posay after, ok?",
        "pls help",
        "erythema duration",
        "",
        # short words that are English too, a brand, a place or a name: not enough alone
        "Clinic near LA?",
        "La Roche-Posay serum afterwards?",
        "Crème de la Mer afterwards?",
        "SE London location?",
        "Dr de Souza available?",
        "Dr Ang available?",
        "Cara here, microneedling price?",
        "Hindi speaking staff?",
        "Price po?",
        "en route now, running late",
        "BA degree needed?",
        "hoo lang tae heal",
        "Naman here, microneedling price?",
        "Dr Yung available tuesday?",
    ],
)
def test_english_with_typos_names_and_mixed_messages_are_english(text):
    assert not written_in_another_language(text)


def parsed(text, intent):
    return Message(data={"text": text, "intent": {"name": intent, "confidence": 0.9}, "intent_ranking": []})


@pytest.mark.parametrize("intent", ["faq", "out_of_scope", "ask_aftercare_timing", "book_consultation"])
def test_a_reading_of_a_message_in_another_language_becomes_unsure(intent):
    message = OtherLanguageCheck().process([parsed("cuántas sesiones necesito?", intent)])[0]
    assert message.get("intent")["name"] == "nlu_fallback"


@pytest.mark.parametrize(
    "text, intent", [("muchas gracias", "thank"), ("hola, buenos días", "greet"), ("does it hurt", "faq")]
)
def test_small_talk_in_another_language_and_english_keep_their_reading(text, intent):
    message = OtherLanguageCheck().process([parsed(text, intent)])[0]
    assert message.get("intent")["name"] == intent


def answered_surely(text, intent_confidence, answer_confidence):
    message = parsed(text, "faq")
    message.set("intent", {"name": "faq", "confidence": intent_confidence})
    message.set(
        "response_selector",
        {"faq": {"response": {"intent_response_key": "faq/product_absorption", "confidence": answer_confidence}}},
    )
    return OtherLanguageCheck().process([message])[0].get("intent")["name"]


def test_a_guide_answer_read_surely_through_the_other_language_is_given():
    # The English words of the trade carry it: "kya microneedling ke baad serum better absorb hota hai?"
    assert answered_surely("kya microneedling ke baad serum better absorb hota hai?", 0.84, 0.7) == "faq"
    assert answered_surely("puedo usar retinol después?", 0.88, 0.88) == "faq"
    # ... but not a guess
    assert answered_surely("kya microneedling ke baad serum better absorb hota hai?", 0.84, 0.3) == "nlu_fallback"
    assert answered_surely("kya microneedling ke baad serum better absorb hota hai?", 0.5, 0.9) == "nlu_fallback"
