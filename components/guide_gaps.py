"""Questions for what the guide never gives are declined, whatever answer was nearest.

The guide names no product, gives no exact figure, says nothing about preparing for a
treatment beyond the consultation, and of side effects only that redness and sensitivity
typically settle within a day or two. Nor does it name a skin condition, a medicine, a
skin colour, a price, the lips or a regulator, cite a study, speak of top-ups,
complications or infection, washing the face or a fake tan, or name another treatment
(radiofrequency or nano needling, PRP, a roller or pen at home). Questions for those land near
an answer that shares their words ("what numbing cream do you use" near the answer about
pain, "exactly how many weeks between sessions, 4 or 6?" near the spacing, "should I stop
retinol before my appointment" near the harsh products to avoid *after*), and a reader of
words cannot tell that they ask for something that answer does not say. These patterns
can: of the 12,840 messages of blind sets A to ZC they match 1,121: 1,105 out of scope, 8
asking whether it suits them (an intent this check leaves alone) and 8 that a writer
meant for a guide answer; none of the training data's guide questions
(tests/data_quality/test_guide_gaps.py).

Runs after FaqAnswerGuard, on a message about to be answered from the guide or met with
"did you mean...?", and on one read as the aftercare timing that asks about preparing
for the treatment ("should I stop retinol before my appointment, how many days before?")
or about microneedling after another treatment or medicine ("had filler 2 weeks ago, can
I do microneedling now?": the date is the filler's).
Other intents keep their reading.
"""

from __future__ import annotations

import re
from typing import List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.intents import AFTERCARE_INTENTS, OUT_OF_SCOPE_INTENT, RETRIEVAL_INTENT, set_intent
from components.untrained import UntrainedComponent

# The gap that a question naming the consultation does not ask for (the guide's consult first).
PREPARING = "preparing for a treatment"
# A treatment ahead; "before microneedling again" is the spacing between sessions.
_TREATMENT = r"(?:my |the |your |a |an )?(?:appointment|treatment|session|microneedling|procedure|visit)\b(?!\s+again)"
_NUMBER = r"(?<![\d.])\d+(?:\.\d+)?"
_PERIOD = r"(?:%|days?|weeks?|minutes?|hours?)"
_COUNT = r"(?:" + _NUMBER + r"|one|two|three|four|five|six|seven|eight|nine|ten|twelve)"
# Words before a sum already spent ("spent like £90 on a serum"): no price is asked.
_MONEY_SPENT = [f"{verb}{about}" for verb in ("spent", "paid", "wasted") for about in ("", " like", " about", " over")]
# The days after a treatment: what is asked then is aftercare.
_AFTERWARDS = r"\b(?:after|afterwards|post|since|next day|following)\b"
# Microneedling's other names.
_OTHER_NAME = r"(?:the |a )?(?:cit|collagen|dermal? needling|skin needling|derma ?pen)\b"
# A symptom seen since a treatment ("still flushed 5 days after", "a week on there are dark
# patches where the needles went"): whatever the skin, that is a lasting symptom.
# Not "will it leave dark marks a few weeks after?": a question about what is to come.
_SYMPTOM_SINCE = (
    r"^(?:(?!\b(?:will|would|might|gonna|going to)\b)[\s\S])*?(?:"
    r"\b(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|few|several|couple(?: of)?)\s+"
    r"(?:days?|weeks?|months?)\s+(?:after|since|later|on|post)\b"
    r"|\bsince (?:my |the |her |his )?(?:session|treatment|microneedling|appointment|procedure)\b"
    r"|\bwhere the needles? went\b)"
)
# Tanning, whose effect on the skin before a treatment the guide does not give.
_TANNING = r"(?:sunbeds?|tanning beds?|fake tan|spray tan|self[- ]tan\w*)"
_MEDICINE = r"(?:tablets?|pills?|medications?|medicines?|meds|antihistamines?|birth control|the pill)\b"
GAPS = {
    # "topical anaesthetic" is all the guide says; it names no cream, serum or brand.
    "a product's name": (
        r"\b(?:which|what|wot|wat)\s+(?:kind of |type of |brand of )?(?:numbing|anaesthetic|anesthetic|topical)"
        r" (?:cream|gel)\b"
        r"|\b(?:which|what|wot|wat)\s+(?:kind of |type of |brand of )?(?:serum|cream|gel)\b[^?]{0,20}"
        r"\b(?:do you|does the clinic|you use|used during|during the)\b"
        r"|\blidocaine\b|\bbrands?\b(?!\s+new\b)"
        r"|\b(?:what|which) (?:strength|percentage)\b|\bhow strong is the (?:numbing|anaesthetic|anesthetic|cream)\b"
    ),
    # "a day or two", "a few weeks apart", "a few days": never a number of days or weeks.
    "an exact figure": (
        r"\b(?:exactly|precisely) how (?:long|many (?:days|weeks|minutes|hours))\b"
        r"|\bhow (?:long|many (?:days|weeks|minutes|hours))\b[^.?!,]{0,25}\b(?:exactly|precisely)\b"
        # "exact number of weeks between sessions?", "precise number of days until it heals"
        r"|\b(?:exact|precise|specific) (?:number|amount) of (?:days|weeks|months|minutes|hours)\b"
        # "multiple needles", "a topical anaesthetic", "more youthful": no count, time or percentage
        r"|\bhow many needles\b[^.?!]{0,30}\b(?:exactly|precisely)\b|\b(?:exactly|precisely) how many needles\b"
        # "give me a number", "I want an exact figure", "what's the exact number of weeks"; not
        # "I need a number of sessions" nor "a number I can call", and not the number of
        # sessions, whose exact number the guide says depends on goals and skin
        r"|^(?![\s\S]*\b(?:how many|number of) (?:sessions?|treatments?|appointments?)\b)[\s\S]*?"
        r"\b(?:(?:give me|i want|i need|just tell me)\s+(?:a|an|one)\s+(?:number|figure)\b(?!\s+of\b)"
        r"|(?:give me|i want|i need|need|just tell me|tell me|what['’]?s|what is)\s+"
        r"(?:(?:a|an|one)\s+(?:exact|actual|real|straight|specific|precise)|the\s+(?:exact|precise|specific))"
        r"\s+(?:number|figure)\b)"
        r"|\bhow (?:long|quickly|fast)\b[^.?!]{0,25}\b(?:numbing|anaesthetic|anesthetic)\b"
        r"[^.?!]{0,20}\b(?:kick in|to work|take effect|work)\b"
        r"|\b(?:what|which) (?:%|percent(?:age)?\b)|\d+\s?%\s+(?:improvement|better|reduction|smoother|fewer)\b"
        # a choice between figures: "4 or 6?", "3? 5? 7?", "is it 3 or 4 weeks between sessions"
        r"|" + _NUMBER + r"\s*" + _PERIOD + r"?\s*(?:or|\?)\s*" + _NUMBER + r"\s*" + _PERIOD + r"?\s*(?:\?|$)"
        # "is it exactly four weeks between sessions or six"
        r"|\b(?:exactly|precisely)\s+"
        + _COUNT
        + r"\s*"
        + _PERIOD
        + r"?(?:\s+[a-z]+){0,3}?\s*\bor\s*"
        + _COUNT
        + r"\b"
        + r"|\b(?:is it|every|wait|leave it)\s+(?:exactly\s+|precisely\s+)?"
        + _NUMBER
        + r"\s*"
        + _PERIOD
        + r"?\s*or\s*"
        + _NUMBER
        + r"\s*"
        + _PERIOD
    ),
    # Before a treatment the guide has only the consultation (answered elsewhere).
    PREPARING: (
        r"\b(?:should|do|must|can|need to|have to) i\b[^.?!]{0,20}"
        r"\b(?:prep|prepare|get (?:my skin )?ready|stop|pause|quit|avoid|come off)\b[^.?!]{0,40}"
        r"\b(?:before(?:hand)?|ahead of|prior to|leading up to)\b"
        r"|\bhow (?:do|should|can) i (?:prep|prepare|get (?:my skin )?ready)\b"
        r"|\bbefore " + _TREATMENT + r"[^.?!]{0,15}\bto (?:prep|prepare|get (?:my skin )?ready)\b"
        r"|\b(?:day|night|week)s? before "
        + _TREATMENT
        # "can I use my vitamin C serum the night before?", with the treatment unnamed
        + r"|\bthe (?:day|night|morning|evening|week) before\s*(?:\?|$)"
        # "should patients discontinue topical retinoids before treatment"
        + r"|\b(?:should|do|must) (?:patients|clients|people)\b[^.?!]{0,15}"
        r"\b(?:stop|discontinue|pause|avoid|come off|prep|prepare)\b[^.?!]{0,40}\bbefore(?:hand)?\b"
        r"|\b" + _TANNING + r"\b[^.?!]{0,40}\bbefore(?:hand)?\b"
        r"|\bbefore(?:hand)?\b[^.?!]{0,40}\b"
        + _TANNING
        + r"\b"
        # "how long after a peel do I wait before microneedling" (not "... before my next session")
        + r"|\bwait\b[^.?!]{0,30}\bbefore (?:getting |having |doing |starting )?"
        + _TREATMENT
        # how long before an event to have it ("how many weeks before my wedding should I book
        # it", not "how long before my holiday is the redness gone"): no timeline to plan by
        + r"|\b(?:how (?:many|long|much time|far|soon)|when)\b[^.?!]{0,40}\bbefore (?:my|the|a|our|her|his) "
        r"(?:wedding|event|holiday|vacation|party|birthday|big day|photo ?shoot|trip|graduation|prom|honeymoon)\b"
        r"[^.?!]{0,10}\b(?:should|do|can|would|must) (?:i|we|she|he) (?:have|do|book|schedule|get|plan|start)\b"
    ),
    # The guide names no skin condition, medicine, allergy, age or skin colour, nothing of
    # pregnancy or periods, no price, and not how long a session takes or how long results
    # last. A condition after a treatment ("dark spots since my session, normal?"), or a
    # symptom on any skin days after one, is a lasting symptom; medicine that cleared the
    # acne whose scars are asked about is the past.
    "a condition, medicine, age or skin colour": (
        r"^(?![\s\S]*?(?:\b(?:after|since|from) (?:my |the |your |her |his )?"
        r"(?:session|treatment|microneedling|appointment|procedure)\b|" + _SYMPTOM_SINCE + r"))"
        r"(?=[\s\S]*?\b(?:rosacea|eczema|psoriasis|melasma|hyper-?pigmentation|pigmentation|dark spots?|sun ?spots?|"
        r"age spots?|keloids?|vitiligo|cold sores?|herpes|dermatitis|moles?|warts?|cellulite|hair loss|alopecia|"
        r"broken (?:capillar\w*|veins?)|thread veins?|spider veins?|telangiectas\w*|couperose|"
        r"active (?:acne|breakouts?|spots|pimples))\b)"
        # not "stretch marks from when I was pregnant": a pregnancy past
        r"|\b(?:(?<!when i was )(?<!when she was )(?<!since i was )pregnant|during pregnancy|breast ?feeding|diabet\w*|blood thinners?|warfarin|aspirin|accutane|isotretinoin|"
        r"antibiotics?|ibuprofen|painkillers?|paracetamol|tylenol|steroids?)\b"
        r"|^(?![\s\S]*?"
        + _SYMPTOM_SINCE
        + r")[\s\S]*?(?:\b(?:dark|black|brown|darker|asian) skin\b|\bskin of colou?r\b"
        r"|\bfitzpatrick\b)"
        r"|\b(?:i'?m|i am|am|currently|still)\s+(?:on|taking)\b[^.?!]{0,25}\b"
        + _MEDICINE
        + r"|\b(?:take|taking)\s+(?:my\s+)?"
        + _MEDICINE
        + r"|\bprescri(?:bed|ption)\b"
        r"|\ballerg(?:ic|y|ies)\b|\bmy period\b|\bmenstrua\w*"
        r"|\b(?:old enough|too old|too young|age limit|minimum age|age restrictions?|under 18|under-?age)\b"
    ),
    "a price, a session's length, how long results last": (
        # not "saw CIT on your price list, what is it": where a word was seen
        r"\b(?:price|prices)\b(?!\s+(?:list|board|menu|sheet)s?\b)"
        r"|\b(?:cost|costs|costing|insurance|deposit|discount|refund|charge|charges)\b"
        # not "can't afford to look weird for long": the days after, not a price; nor "can only
        # afford two sessions, is that enough?", with no price asked: how many are needed
        r"|\bafford\w*\b(?!\s+to\s+(?:look|appear|be (?:seen|red|off|out|away)|stay|miss|lose|walk|go around"
        r"|take (?:time|days?|a week|weeks) off)\b)"
        r"(?!(?<=only afford)\s+(?:maybe\s+|about\s+|around\s+|up\s+to\s+|just\s+)?"
        r"(?:\d+|one|two|three|four|five|six|a few|a couple(?:\s+of)?)(?:\s+or\s+(?:\d+|two|three|four|five|six))?"
        r"\s+(?:sessions?|treatments?|rounds?)\b(?![\s\S]*\bhow much\b))"
        r"|\bmedical aid\b|\bnhs\b|\bhealth (?:fund|plan)\b"
        r"|" + "".join(f"(?<!\\b{spent} )" for spent in _MONEY_SPENT) + r"[£$€]\s?\d|\bset me back\b"
        r"|\bhow long (?:does|do|will|is) (?:a |the |one |each |my )?(?:session|treatment|appointment|procedure)s? "
        r"(?:take|last)\b"
        r"|\bhow long is (?:a|the|an|each|one|my) (?:session|appointment|treatment|procedure)\b"
        r"|\bin[- ]and[- ]out\b|\bhow long (?:will|would) i be (?:there|in the clinic|at the clinic)\b"
        r"|\bhow much (?:is|are|for) (?:a |an |one |the |each |your )?(?:session|treatment|package|course)"
        # "how much for acne scar treatment", "how much one session", "how much per go"; not
        # "how much time off", "how much does it hurt", "how much better"
        r"|\bhow much\b(?!\s+(?:time|downtime|recovery|longer|more|better|worse|redness|pain|does it hurt|will it hurt"
        r"|does it sting|difference|deeper|of|sessions?|treatments?|times?)\b)[^.?!]{0,30}\b(?:sessions?|treatments?|packages?|courses?|per)\b"
        r"|\b(?:results?|effects?) (?:last|permanent)\b"
        r"|\bhow long (?:do|does|will|would) (?:the |my |your )?(?:results?|effects?|improvements?|benefits?|changes?)"
        r" (?:last|stick around|stay|hold up)\b"
        r"|\b(?:results?|effects?) (?:wear|wears|fade|fades) off\b"
        r"|\b(?:maintenance|top[- ]?ups?|touch[- ]?ups?)\b"
    ),
    # "a day or two" of redness and sensitivity is all the guide says of side effects, and
    # it cites no study.
    "effects in the long run, evidence": (
        r"\blong[- ]?term\b[^.?!]{0,20}\b(?:side[- ]?effects?|effects?|risks?|damage|complications?)\b"
        r"|\b(?:side[- ]?effects?|risks?|complications?)\b[^.?!]{0,20}"
        r"\b(?:long[- ]?term|in the long run|down the (?:road|line)|years (?:later|down the line|from now)"
        r"|later in life|after (?:many )?years)\b"
        r"|\b(?:leave|leaves|cause|causes|give|gives)\b[^.?!]{0,15}\bscar(?:s|ring)?\b"
        # nor of complications or infection ("are the needles sterile? I'm scared of an infection"
        # asks about the needles)
        r"|^(?![\s\S]*\b(?:steril\w*|hygien\w*|clean|reused|infected)\b)[\s\S]*"
        r"\b(?:complications?|granulomas?|infections?)\b"
        r"|\b(?:clinical )?(?:studies|trials)\b|\bsuccess rate\b|\bpercentage of (?:people|patients|clients)\b"
        r"|\bpeer[- ]reviewed\b|\b(?:a|one|any|the) (?:clinical |scientific )?study\b"
        # nor of the skin "purging" first, nor of bleeding
        r"|\bpurg(?:e|es|ing)\b"
        r"|\b(?:will|does|do|would)\s+(?:it|i|you|my skin|the skin|your skin|people)\s+bleed\b|\bbleed(?:ing)? during\b"
        # nor whether it is safe: "safe to use my serum after", "used my toner the day after,
        # is that safe?" ask the aftercare
        r"|^(?![\s\S]*" + _AFTERWARDS + r")[\s\S]*(?:\b(?:is|are)\s+(?:it|microneedling|this|that|"
        r"the (?:treatment|procedure|needling))\s+(?:\w+\s+)?safe\b(?!\s+(?:to|for me to)\b)|\bhow safe\b)"
    ),
    # Nor does it name a part of the face ("lines round my lips" are its wrinkles) or a
    # regulator's approval.
    "the lips, an approval": (
        r"^(?![\s\S]*(?:\b(?:lines?|wrinkles?|creases?)\b|" + _AFTERWARDS + r"))[\s\S]*\blips\b"
        r"|\bfda\b|\bhealth canada\b|\bmhra\b|\bapproved by\b|\b(?:fda|government)[- ]approved\b"
    ),
    # The guide's aftercare is sun, SPF, gentle products and no exfoliating or harsh
    # products: nothing of alcohol, cooling the skin or exercise.
    "aftercare the guide does not name": (
        r"\b(?:alcohol|beers?|wine|booze|hangover)\b|\bice\b(?!\s*-?\s*picks?)|\bcold compress"
        # nor washing the face, nor a fake tan ("when can I wash my face after", "fake tan after?")
        r"|\b(?:when|how soon|how long)\b[^.?!]{0,30}\b(?:can i|could i|may i|should i|allowed to|ok to|okay to"
        r"|safe to|able to|until i can|before i can)\s+(?:\w+\s+)?(?:wash|shower|get (?:it|my face) wet)\b"
        r"|\b(?:fake|spray|self)[- ]?tan\w*\b"
        # nor exercise: "can I work out after?" (not "stretch marks from the gym")
        r"|\b(?:can|could|may|should) (?:i|we) (?:\w+ ){0,3}(?:work ?out|working out|exercis\w*|gym|swim\w*|sauna|"
        r"sweat(?:ing|y)?)\b(?=[^.?!]{0,40}\bafter(?:wards)?\b)"
    ),
    # The guide is about microneedling alone: no other device or treatment with its name, and
    # no comparison with one. Wrinkles "or is that a botox thing" ask what microneedling does.
    "another treatment": (
        r"\brf (?:micro-?needling|needling)\b|\bradio ?frequency\b|\bnano[- ]?needl\w*"
        r"|\bprp\b|\bplatelet|\bvampire facial\b"
        r"|\bexosomes?\b|\bderma ?rollers? (?:at|for) home\b"
        # a roller or pen for home, not beside a question on the clinic's treatment ("my home
        # roller is 0.25mm, how deep do you go in clinic")
        r"|\b(?:at[- ])?home (?:micro-?needling )?(?:derma ?rollers?|rollers?|derma ?pens?|pens?|devices?|kits?)\b"
        r"(?![\s\S]*\b(?:do|does|would|will) (?:you|they)\b[^.?!]{0,30}\b(?:in|at) (?:the )?clinic\b)"
        # "it" used at home, with no product named ("do I use the spf at home too" is aftercare)
        r"|^(?![\s\S]*\b(?:spf|sunscreen|sun ?cream|serums?|creams?|balms?|moisturi[sz]ers?|lotions?|products?"
        r"|cleansers?|gels?|oils?|masks?)\b)[\s\S]*\b(?:use|using|do|doing)\s+(?:it|this|one|them|that)\s+"
        r"(?:myself\s+|yourself\s+)?at home\b"
        r"|^(?![\s\S]*\b(?:wrinkles?|lines)\b)[\s\S]*\b(?:fillers?|botox)\b"
        r"|\b(?:vs\.?|versus|compared (?:to|with)|better than|instead of|or(?: get| getting)?)\s+(?:a |an )?"
        r"(?:chemical peel|peel|laser|botox|fillers?|facial|hydrafacial|dermaplaning)s?\b"
        # but collagen induction therapy is microneedling's other name
        r"|\bdifference between (?!" + _OTHER_NAME + r")[\w -]{2,30} and micro[- ]?needling\b"
        r"|\bdifference between (?:micro[- ]?needling|it|this) and (?!" + _OTHER_NAME + r")\w+"
    ),
}
# The aftercare timing answers an exact figure after a treatment with what applies on that
# day; before one it has nothing to say either.
_PREPARING = re.compile(GAPS[PREPARING], re.IGNORECASE)
# A question about the consultation before a treatment is the guide's (consult first).
_CONSULTATION = re.compile(r"\bconsult", re.IGNORECASE)
_GAPS_BUT_PREPARING = re.compile(
    "|".join(f"(?:{pattern})" for name, pattern in GAPS.items() if name != PREPARING), re.IGNORECASE
)


# Another treatment or medicine had, and microneedling asked about after it ("had filler 2
# weeks ago, can I do microneedling now?", "finished isotretinoin 2 months ago, too soon for
# microneedling?"): the date is the other treatment's, and the guide says nothing of either.
_ANOTHER_TREATMENT_BEFORE = re.compile(
    r"\b(?:had|got|getting|finished|stopped|started|came off|did|done)\s+"
    r"(?:a |an |my |some |the |lip |cheek )?(?:\w+\s+)?"
    r"(?:fillers?|botox|(?:chemical )?peels?|laser|isotretinoin|accutane|roaccutane|facials?|hydrafacial|tattoos?|"
    r"waxing|injections?|dermaplaning|tretinoin|antibiotics?|ipl)\b"
    r"[\s\S]*\b(?:micro[- ]?needl\w*|needling|needled)\b",
    re.IGNORECASE,
)


def gap_asked(text: Text, preparing_only: bool = False) -> bool:
    """Whether the text asks for something the guide never gives (only preparing for a
    treatment, with `preparing_only`). Preparing that names the consultation is the guide's."""
    text = text or ""
    preparing = not _CONSULTATION.search(text) and bool(_PREPARING.search(text))
    return preparing or (not preparing_only and bool(_GAPS_BUT_PREPARING.search(text)))


def dated_for_another_treatment(text: Text) -> bool:
    """Whether the text's date may be another treatment's, asked about before microneedling."""
    return bool(_ANOTHER_TREATMENT_BEFORE.search(text or ""))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class GuideGapCheck(UntrainedComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            name = intent.get(INTENT_NAME_KEY)
            text = message.get(TEXT)
            if (name in (RETRIEVAL_INTENT, DEFAULT_NLU_FALLBACK_INTENT_NAME) and gap_asked(text)) or (
                name in AFTERCARE_INTENTS
                and (gap_asked(text, preparing_only=True) or dated_for_another_treatment(text))
            ):
                set_intent(message, OUT_OF_SCOPE_INTENT, intent.get("confidence", 1.0))
        return messages
