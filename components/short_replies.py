"""Short answers read by their words: "yes", "nope", "not really", "yes that helped", 👍.

The visitor types them to answer "Was this answer helpful?" (policies/feedback.py) in
`rasa shell` or by SMS. Taught to DIET as examples, such tiny messages pulled questions
with "no" or "not" in them ("are strong actives a no-no?", "swelling hasn't gone down")
towards `deny`, and so into the clarification. Here a message counts only when all of it
is such an answer, and DIET learns just the emoji. The component runs last, so its
verdict stands over FallbackClassifier's (which is unsure of a bare "yes").

A message that is only a sound of doubt ("huh?", "umm", "hmm...") is not understood,
however near "hi" the classifiers put it: it gets the clarification, and a second one in
a row the consultation.

A request to stop said with annoyance ("ugh forget it", "this is useless, never mind") is
read as frustration: it gets the apology, the topics and the consultation, not "No
problem, let's leave that". So is a complaint about the replies that the NLU was unsure of
("i asked something completely different, pay attention", "this is going round in
circles"), which would otherwise get "did you mean...?" or "not covered".

A greeting, thanks or goodbye in another language or a dialect ("kia ora", "asante sana",
"ta-ra"), when it is the whole message, is read as such: the classifiers, taught in
English, put such words anywhere, and the visitor got "not covered" for a "thank you".
"""

from __future__ import annotations

import re
from typing import List, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.intents import is_unsure, set_intent
from components.untrained import UntrainedComponent

AFFIRM, DENY = "affirm", "deny"
STOP, FRUSTRATION = "stop", "frustration"
ANNOYANCE = re.compile(
    r"\b(?:u+gh+|u+rgh+|a+rgh+|ffs|omg|wtf|useless|pointless|hopeless|rubbish|stupid|ridiculous|annoying"
    r"|waste of (?:my )?time|seriously|whatever|jeez|pff+t?)\b",
    re.IGNORECASE,
)
# Said of the replies, not of the treatment ("is it a waste of time" asks the guide).
COMPLAINT = re.compile(
    r"\b(?:the same (?:answer|reply|replies)|(?:not|even) listening|pay attention|(?:round|going) in circles"
    r"|not what i (?:asked|meant)|i(?:'ve| have)? asked (?:you )?(?:something|\w+ times|twice|already|again)"
    r"|answer (?:the|my) question)\b",
    re.IGNORECASE,
)
_SOUND_OF_DOUBT = r"(?:h+u+h+|u+m+|h+m+|e+r+m+|e+h+)"
DOUBT = re.compile(rf"^\W*{_SOUND_OF_DOUBT}(?:\W+{_SOUND_OF_DOUBT})*\W*$", re.IGNORECASE)
YES = {"yes", "yeah", "yea", "yep", "yup", "ya", "y", "sure", "definitely", "absolutely", "👍"}
NO = {"no", "nope", "nah", "n", "👎"}
# Words that may follow the first one: "yes it did, thanks", "no it didn't really".
AFFIRM_WORDS = {
    "it",
    "did",
    "that",
    "helped",
    "help",
    "very",
    "really",
    "helpful",
    "useful",
    "thanks",
    "thank",
    "you",
    "thx",
    "ty",
    "cheers",
    "much",
    "a",
    "lot",
    "so",
    "great",
    "answer",
    "was",
    "perfect",
    "good",
    "please",
    "that's",
    "thats",
    "exactly",
    "what",
    "i",
    "needed",
    "wanted",
    "👍",
}
DENY_WORDS = {
    "it",
    "did",
    "didn't",
    "didnt",
    "not",
    "that",
    "that's",
    "thats",
    "help",
    "helped",
    "helpful",
    "really",
    "at",
    "all",
    "sorry",
    "quite",
    "exactly",
    "what",
    "i",
    "needed",
    "wanted",
    "asked",
    "much",
    "👎",
}
AFFIRM_PHRASES = {
    "that helped",
    "it helped",
    "it did",
    "it did help",
    "helpful",
    "very helpful",
    "really helpful",
    "that was helpful",
    "useful",
    "very useful",
    "that was useful",
    "spot on",
    "thumbs up",
    "that answers it",
    "that answered it",
    "that answered my question",
}
DENY_PHRASES = {
    "not really",
    "not at all",
    "not quite",
    "not exactly",
    "not much",
    "it didn't",
    "it didnt",
    "it did not",
    "didn't help",
    "didnt help",
    "it didn't help",
    "it didnt help",
    "thumbs down",
}
MAX_WORDS = 6
GREET, THANK, GOODBYE = "greet", "thank", "goodbye"
# Whole messages, lowercased, with hyphens as spaces and no other punctuation or emoji. No
# thanks or goodbye that is also a name ("Tara"): the callback form asks for a name and takes
# neither as one (a greeting it takes, and checks itself).
COURTESIES = {
    GREET: frozenset(
        (
            "hola|ola|salam|salaam|shalom|buenas|buenos dias|bonjour|salut|hallo|moin|servus|hej|namaste|namaskar|marhaba|merhaba|"
            "konnichiwa|ni hao|annyeong|annyeonghaseyo|olá|privet|czesc|cześć|sawubona|kia ora|howzit|"
            "wagwan|wah gwaan|g'day|gday|aloha|kumusta|kamusta|sawasdee|xin chao|dia dhuit|shwmae|bore da|"
            "yassou|yassas|ahoj|szia|buna ziua|bună ziua|selamat pagi|assalamu alaikum|assalamualaikum|asalamualaikum|"
            "assalamu alaykum|as salamu alaykum|as salamu alaikum|as salaam alaikum|salam alaikum|salaam alaikum|"
            "salam aleikum|salamu alaikum|assalam o alaikum|assalam alaikum|sat sri akal|vanakkam"
        ).split("|")
    ),
    THANK: frozenset(
        (
            "gracias|muchas gracias|merci|merci beaucoup|merci bien|danke|danke schön|danke schon|"
            "vielen dank|grazie|grazie mille|obrigado|obrigada|arigato|arigatou|domo arigato|xie xie|"
            "xiexie|shukran|asante sana|dhanyavaad|dhanyavad|dhanyawad|shukriya|maraming salamat|kiitos|"
            "tack så mycket|takk|tusen takk|dank je|dank je wel|dankjewel|bedankt|diolch|diolch yn fawr|"
            "spasibo|teşekkürler|tesekkurler|teşekkür ederim|tesekkur ederim|kamsahamnida|gamsahamnida|"
            "terima kasih|go raibh maith agat|efharisto|dziękuję|dziekuje|köszönöm|koszonom|mulțumesc|"
            "multumesc|cảm ơn|toda raba|ngiyabonga|medaase"
        ).split("|")
    ),
    GOODBYE: frozenset(
        (
            "adios|adiós|hasta luego|hasta pronto|au revoir|à bientôt|a bientot|tschüss|tschuss|"
            "auf wiedersehen|sayonara|ta ra|cheerio|arrivederci|tot ziens|doei|hej då|do svidaniya|paalam|"
            "ka kite|ka kite ano|slán|hwyl|hwyl fawr|alvida|khuda hafiz|ma'a salama|ma salama|kwaheri"
        ).split("|")
    ),
}


def courtesy(text: str) -> Optional[str]:
    """`greet`, `thank` or `goodbye` when the whole message is one in another language or a dialect."""
    words = re.sub(r"[^\w']+", " ", text.lower().replace("’", "'")).split()
    phrase = " ".join(words)
    return next((intent for intent, phrases in COURTESIES.items() if phrase in phrases), None)


def short_reply(text: str) -> Optional[str]:
    """`affirm` or `deny` when the whole message is such a short answer, else None."""
    if "?" in text:
        return None
    spaced = re.sub(r"(👍|👎)", r" \1 ", text.lower().replace("’", "'"))
    words = re.sub(r"[^\w'👍👎]+", " ", spaced).split()
    if not words or len(words) > MAX_WORDS:
        return None
    phrase = " ".join(words)
    if phrase in AFFIRM_PHRASES or (words[0] in YES and set(words[1:]) <= AFFIRM_WORDS):
        return AFFIRM
    if phrase in DENY_PHRASES or (words[0] in NO and set(words[1:]) <= DENY_WORDS):
        return DENY
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ShortReplyClassifier(UntrainedComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            verdict = short_reply(text)
            if verdict is not None:
                set_intent(message, verdict, 1.0)
                continue
            said = courtesy(text)
            if said is not None:
                set_intent(message, said, 1.0)
                continue
            if DOUBT.match(text):
                set_intent(message, DEFAULT_NLU_FALLBACK_INTENT_NAME, 1.0)
                continue
            intent = message.get(INTENT) or {}
            stop = intent.get(INTENT_NAME_KEY) == STOP
            if (stop and ANNOYANCE.search(text)) or (is_unsure(message) and COMPLAINT.search(text)):
                set_intent(message, FRUSTRATION, intent.get("confidence", 1.0))
        return messages
