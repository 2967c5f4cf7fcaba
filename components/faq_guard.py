"""A second check on the guide answer the ResponseSelector picks.

Rasa's `faq` intent can be sure while the ResponseSelector's pick among the answers is
not (RasaHQ/rasa#9751): "how long does a session take" is surely a question about the
treatment, but the guide has no answer to it, and the best-scoring answer (healing
time) answers a different question. FallbackClassifier looks only at the intent. This
component, after it in the pipeline, looks at the pick:

- an answer picked with less than `answer_threshold` confidence becomes `nlu_fallback`,
  so the assistant offers the likeliest topics and says the guide may not cover it,
  instead of answering a different question with confidence;
- a guide question about the days after the treatment that also says when the
  treatment was ("I had it on the 20th, what skincare now?") becomes
  `ask_aftercare_timing`, so the date is used instead of dropped; so does one that asks
  what applies when ("what should I do depending on the day?"), whose answer is the
  aftercare timing's, day by day; and so does one that says when the treatment was and
  whose pick is the answer about lasting symptoms though it names no symptom ("10 days
  since my session, anything still off limits?": "still" drew the pick); so does one that
  says when and asks what to do, whichever answer but one about symptoms drew the pick
  ("day 1 after microneedling, what do I do"), with the aftercare timing likely; and one
  on what applies when picked as the session's steps ("step by step, what should I do in
  the days after my session");
- a message the NLU is unsure about that says when the treatment was, or asks what
  applies when, and whose likeliest intents include the aftercare timing ("booked for
  friday! what will the days after look like"), gets the aftercare timing too: it names
  the date it understood, which says more than "did you mean...?";
- a message read as out of scope, not surely, that says when the treatment was or will
  be and asks what to do ("I have the appointment in 2 hours, what do I do when I get
  home"), or, below `out_of_scope_unsure`, asks what applies when ("when is it safe to go
  back to my usual routine after treatment"), with the aftercare timing among its
  likeliest intents, gets the aftercare timing;
- a message that names an exfoliating or harsh product for the days after the treatment
  ("can I use my at-home peel pads the next day?"), read as out of scope below
  `named_out_of_scope_doubt` or unsurely, with the ResponseSelector sure of the guide's
  answer on them, gets that answer, or the aftercare timing when it says when the
  treatment was; so does a question on what microneedling does beside an injectable the
  visitor avoids ("is it any good for wrinkles? trying to avoid botox"), with an answer on
  what it does picked;
- a message that names a symptom, or says its skin has not calmed down, and whose pick is,
  with `symptom_threshold` confidence,
  the answer about symptoms that last ("swelling hasn't gone down after 4 days", "still
  red since Monday, is that normal?") gets that answer, whatever the intent: a worry comes
  before the day's aftercare, which would not say that the symptom is for their
  practitioner. So does one that says when a past treatment was and asks about its
  symptom ("treated on Monday, still pink, is this normal?") when the pick is either
  answer about symptoms, however sure; and so does one that says its symptom lasts ("is
  prolonged erythema after microneedling normal?", "my skin hasn't calmed down after a
  week") when the pick is either, even read unsurely as out of scope: "the bruising still
  hasn't gone down" names what the guide does not, but a symptom that lasts is what that
  answer is for. Without either ("anything I should still avoid 3 weeks on?") the message
  is left to the other checks;
- a question cut from a longer message (`connectors.questions`) gets the answer it was
  cut for (`split_answer` in its metadata) when the pick is that answer and it gives no
  date: "what aftercare is there" beside "can I exfoliate" asks for the guide's aftercare,
  though alone it is read as the aftercare timing;
- a symptom asked about more days after the treatment than the guide's day or two ("red
  and tender five days after, is this expected?", "day 5 and it looks worse than day 1")
  gets the answer about symptoms that last, with either symptom answer picked; redness to
  come, asked with an event ahead ("a wedding 3 days after, will I still be red by
  then?"), gets the usual redness instead;
- a request for the guide's aftercare advice, guidelines or instructions with no date,
  read unsurely or as the aftercare timing, with that answer picked, gets it: the
  timing would only ask when the treatment was;
- a question names its answer beside words that drew another: pain weighed against a
  tattoo's ("I've got sleeves, is microneedling worse than that?") or another everyday
  pain ("does it hurt more than threading?") is the answer on pain, however the message
  was read, unless the tattoo is what is treated, removed or just had, or the pain asked
  is another treatment's ("is laser less painful than waxing?"); the depth for a concern ("do you go deeper for acne scars?") is the answer on
  depth; whether it works at all after creams that did not is the answer on
  effectiveness, not the one on products; and "what device do you use", read unsurely as
  out of scope or nearest to the out-of-scope question on the device's brand, is the
  guide's answer on who does it with what, when that is the sure pick (GuideGapCheck
  still declines a brand);
- a question is not a request to stop: "can microneedling leave scars" had been read as
  `stop` ("leave it"), and answered "No problem, let's leave that". A message taken
  for `stop` that asks something (a question mark, or a question word first) gets the
  next intent of the ranking instead, and then the checks above. So does a question
  FallbackClassifier was unsure of because `stop`, ranked first, was too close to the
  next intent ("can I skip the consultation?"), when that intent reaches the fallback
  threshold.

Last, the nearest training examples (`NEAREST_EXAMPLES`, given by SentenceEncoderVote)
have their say:
- a message to be answered whose nearest out-of-scope example is nearer, by
  `out_of_scope_margin`, than the nearest example of its answer becomes `out_of_scope`:
  "what's the name of the numbing cream you use" is nearer to a question about which
  numbing cream than to any about pain, and the guide names none;
- an unsure message whose nearest example's label is ahead of every other label's by
  `unsure_nearest_margin` gets that label, if it is one of `settled_by_nearest` (out of
  scope, booking, suitability, the aftercare timing: "can I make an appointment for next
  week", unsure between booking and out of scope) or the
  answer the ResponseSelector picked. Readings settled above (the question a message was
  cut for, a lasting symptom) stand. An answer other than the pick is not given: the
  readers disagree, so the message stays unsure;
- an unsure message that hesitates only between the guide and out of scope, whose answer
  the ResponseSelector picks with `sure_answer_threshold` confidence, and whose answer's
  nearest example is at least as near as any out-of-scope one, gets that answer ("do you
  use numbing cream": the words of a guide question, the intent not sure it is one), or,
  with a date and an answer on aftercare, the aftercare timing ("say I go out in the sun
  on day 2, will that mess things up");
- so does a message read as out of scope with less than `out_of_scope_unsure` confidence,
  the guide next, when the ResponseSelector is sure of its pick by
  `sure_over_out_of_scope_threshold` ("how does an appointment go from start to finish").
  GuideGapCheck, after this component, still declines what the guide never gives.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_TYPE,
    FULL_RETRIEVAL_INTENT_NAME_KEY,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    METADATA,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from actions.timing import current_time, read_treatment_time
from components.intents import (
    AFTERCARE_ANSWER_KEYS,
    AFTERCARE_INTENT,
    AFTERCARE_INTENTS,
    NEAREST_EXAMPLES,
    OUT_OF_SCOPE_INTENT,
    RETRIEVAL_INTENT,
    UNSURE_OUT_OF_SCOPE,
    picked_answer,
    ranked_intents,
    set_intent,
)
from components.untrained import UntrainedComponent

logger = logging.getLogger(__name__)

# How far down the ranking an aftercare intent may be for an unsure, dated message; and for
# one read as out of scope, whose ranking then starts with out of scope.
AFTERCARE_RANK = 2
AFTERCARE_OUT_OF_SCOPE_RANK = 3
# What a visitor may notice on their skin after a treatment (word starts, lower case).
SYMPTOM_WORDS = re.compile(
    r"\b(red|pink|blotch|sore|swell|swollen|puff|hot|burn|sting|itch|rash|bump|spot|pimple|(break|broke|broken|breaking)[ -]?out|"
    r"scab|bruis|bleed|peel|flak|dry|tight|tender|sensitiv|pain|hurt|ache|irritat|sunburn|raw|weep|crust|"
    r"erythem|tomato|lobster|beetroot|dark(er)? (patch|mark)|discolou?r|(look|looks|looking|getting|got|gotten|seems?) worse)",
    re.IGNORECASE,
)
# A symptom asked about ("still pink", "is this normal?", "should I worry"): with a date, it
# is a worry about that day, which the lasting-symptoms answer speaks to.
ASKS_ABOUT_SYMPTOM = re.compile(
    r"\b(still|normal|worr\w*|should i be|expected|concern\w*|is (this|that|it) how)\b", re.IGNORECASE
)
DATE_ENTITY = "treatment_time"
# A question on what applies *when* after a treatment ("depending on the day", "how does
# the aftercare change over the days", "what's allowed when", "the first night after"):
# the aftercare timing's, whose answer is by day, even without a date. Only its own
# wording: "over the next few days" and "over time" are the guide's words on healing, and
# "on which days" asks it only with the days after the treatment in view.
_AFTER_TREATMENT = (
    r"(?:\b(?:after|following)\s+(?:my |the |a |your |each |this )?"
    r"(?:treatment|session|procedure|microneedling|appointment|needling)\b"
    r"|\bafterwards\b|\bafter-?care\b|\b(?:days|weeks?) (?:after|following)\b)"
)
_BY_STAGES = r"\b(?:step|stage|week)[- ]by[- ](?:step|stage|week)\b"
# The time after the treatment in any wording: "the day after", "post-treatment", "... after?"
SAYS_AFTER_THE_TREATMENT = re.compile(
    _AFTER_TREATMENT + r"|\bafter\W*$|\bafter (?:it|tx)\b|\b(?:next|following) (?:day|morning)\b|\bday after\b"
    r"|\bpost[- ]?(?:treatment|microneedling|needling|procedure|tx|session|cit)\b",
    re.IGNORECASE,
)
# An injectable the visitor would rather not have, beside a question on what microneedling
# does: "is it any good for wrinkles? trying to avoid botox".
AVOIDS_INJECTABLES = re.compile(
    r"\b(?:isn'?t|not|no|avoid\w*|scared|afraid|terrified|refuses?|won'?t|without|instead of|alternative to"
    r"|rather than|other than|never)\b[^.?!]{0,25}\b(?:botox|injections?|injectables?|fillers?)\b"
    r"|\b(?:botox|injections?|fillers?)\b[^.?!]{0,10}\b(?:is a no|no way|not for me|scares?)\b",
    re.IGNORECASE,
)
# What the guide calls exfoliating or harsh products, by name: "at-home peel pads", "my retinoids".
EXFOLIANTS = re.compile(
    r"\b(?:peels?|peel pads?|retin\w*|tretinoin|aha|bha|(?<!hyaluronic )acids?|glycolic|salicylic|lactic|benzoyl"
    r"|scrubs?|exfoliat\w*|clarisonic|cleansing brush|microderm\w*|dermaplan\w*)\b",
    re.IGNORECASE,
)
ASKS_WHAT_APPLIES_WHEN = re.compile(
    r"\bdepending on (?:the |which |what )?(?:day|days|how long|when|time|stage)\b"
    r"|\b(?:change|changes|differ|differs|different)\b[^.?!]{0,20}\b(?:over|as|by|with|from) (?:the )?days?\b"
    r"|\bas (?:the days go|time goes)\b|\bday[- ]by[- ]day\b|\beach (?:day|stage)\b|\bevery stage\b|\bat each (?:point|stage)\b"
    r"|\bhow long\b[^.?!]{0,30}\b(?:after-?care|rules|restrictions)\b[^.?!]{0,10}\b(?:apply|last)\b"
    r"|\bstraight after\b[^.?!]{0,40}\bthen\b"
    r"|\b(?:allowed|apply|applies|restrictions?|rules?|end|ends|can i do \w+)\s+when\b|\bwhen can i do what\b"
    r"|\b(?:day \d+|first (?:day|days|few days|night|\d+ ?(?:hours?|hrs?|days?)))\b[^.?!]{0,25}"
    r"\b(?:vs\.?|versus|compared (?:to|with))\s"
    r"|\bafter-?care (?:timeline|schedule|plan)\b|\b(?:timeline|schedule) (?:for|of) (?:after-?care|what)\b"
    # a list of dos and don'ts, not one for before the treatment
    r"|^(?![\s\S]*\bbefore\b)[\s\S]*?\b(?:timeline|schedule|calendar|checklist)\b[^.?!]{0,20}"
    r"\b(?:do['’]?s|don['’]?ts|rules|restrictions)\b"
    # "on which days" with the days after in view (not "on what days are you open"); "which
    # days after the procedure do the rules apply"
    r"|^(?=[\s\S]*(?:\bafter|\bpost\b))[\s\S]*?\b(?:on|for) (?:which|what) days?\b(?! of the (?:week|month))"
    r"|\bwhich days (?:after|following)\b"
    # what the visitor is to do or use, "and when?" (not "what results do people get and when?")
    r"|\b(?:i|to) (?:\w+ ){0,3}?(?:do|avoid|use|put|apply)\b[^.?!]{0,40}(?:\band|\s&) when\W*$"
    r"|\bwhat(?:['’]s| is)? (?:ok|okay|fine|safe|allowed)\W+when\b(?=\W*(?:$|after|following|post))"
    r"|\b(?:first|1st) night\b"
    # back to the visitor's routine: "when can I go back to my normal skincare?" (not "when will my
    # skin ...", nor a routine of acids or exfoliants, which the guide's answer on them speaks to)
    r"|\bwhen (?![^.?!]*\b(?:acids?|exfoliat\w*|retin\w*|scrubs?|peels?)\b)(?:after (?:the |my )?\w+ )?"
    r"(?:can|could|should|do|may) i\b[^.?!]{0,20}"
    r"\b(?:go back to|get back to|return to|resume|restart|start using)\b"
    r"[^.?!]{0,20}\b(?:normal|usual|regular|routine)"
    r"|\bwhen is it (?:safe|ok|okay|fine|alright) to (?:go back to|get back to|return to|resume|restart)\b"
    # "step by step" after the treatment (not "walk me through the session step by step")
    + r"|"
    + _AFTER_TREATMENT
    + r"[^.?!]{0,60}"
    + _BY_STAGES
    + r"|"
    + _BY_STAGES
    + r"[^.?!]{0,60}"
    + _AFTER_TREATMENT,
    re.IGNORECASE,
)
# A request for the guide's aftercare advice ("could you send me the aftercare guidelines?"):
# without a date, the guide's answer, not the aftercare timing's question for the date.
ASKS_FOR_THE_AFTERCARE_ADVICE = re.compile(
    r"\b(?:after[- ]?care|post[- ]?care)\s+(?:advice|guidelines?|guidance|instructions?|info(?:rmation)?|tips|sheet)\b",
    re.IGNORECASE,
)
ASKS_WHEN = re.compile(r"\bwhen\b|\bhow (?:long|soon)\b", re.IGNORECASE)
# A visitor asking what to do now ("what do I do when I get home", "any tips for tonight",
# "kindly advise what care"): with the treatment's date, the aftercare timing's question.
ASKS_WHAT_TO_DO = re.compile(
    r"\bwhat (?:do|should|must|shall) i\b|\bwhat now\b|\bnow what\b|\btips\b|\badvi[sc]e\b|\bwhat care\b"
    r"|\bwh?at (?:do|should|must|shall|can|may) i (?:do|use|put|avoid)\b|\bwhat(?:'s| is) (?:safe|ok|okay|allowed|fine)\b"
    r"|\bwhat (?:am i|are we) (?:allowed|supposed)\b|\bwhat to (?:do|avoid)\b",
    re.IGNORECASE,
)
# A symptom said to last ("prolonged erythema", "persistent redness", "my skin hasn't calmed
# down"): not the usual redness of the first day or two, however the pick fell.
SAID_TO_LAST = re.compile(
    r"\b(?:prolonged|persistent|persisting|lingering|won'?t go away|not going away|hasn'?t gone (?:away|down)"
    r"|isn'?t going (?:away|down))\b"
    r"|\b(?:skin|face|it|redness|swelling|sensitivity|irritation)\s+(?:still\s+)?(?:hasn'?t|has not|isn'?t|is not|won'?t|"
    r"will not|never|not)\s+(?:calmed|calm|settled|settle)(?: down)?\b",
    re.IGNORECASE,
)
STOP_INTENT = "stop"
QUESTION = re.compile(
    r"\?|^\W*(can|could|will|would|does|do|did|is|are|am|was|what|whats|how|why|when|where|who|which|should|may)\b",
    re.IGNORECASE,
)

# Days counted since the treatment ("five days after", "day 5", "been a week", "6 days ago"):
# past the day or two of redness the guide describes, a symptom asked about is one that
# lasts. Not days counted otherwise ("back at work in 5 days", "stopped retinol 2 weeks
# before"), and "a few" or "several" days may be the guide's day or two.
GUIDE_SYMPTOM_DAYS = 2
_NUMBER_WORDS = {
    "one": 1, "a": 1, "two": 2, "a couple of": 2, "a few": 2, "few": 2, "several": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_COUNT = r"(\d+|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_UNIT = r"(days?|nights?|weeks?|fortnights?)"
DAYS_COUNTED = re.compile(
    r"\bday\s*(\d+)\b"
    r"|\b" + _COUNT + r"\s+" + _UNIT + r"\s+(?:after|since|later|on|in|out|post|ago)\b"
    r"|\b(?:after|been|for|over|almost|nearly)\s+(?:like\s+|about\s+|over\s+|almost\s+|nearly\s+)?"
    + _COUNT
    + r"\s+"
    + _UNIT
    + r"\b",
    re.IGNORECASE,
)
# Redness to come, asked with an event in view ("a wedding 3 days after, will I still be red
# by then?"): the usual redness, however long the days counted; not when the visitor says,
# outside that question, that it is still there or when the treatment was.
EVENT_AHEAD = re.compile(
    r"\b(?:wedding|event|party|holiday|vacation|birthday|photos?|photo ?shoot|interview|trip|graduation"
    r"|prom|function|by then|in time)\b",
    re.IGNORECASE,
)
REDNESS_QUESTION = re.compile(
    r"\b(?:will|would)\b[^.?!]{0,30}\b(?:red|redness|pink|flushed|sensitive|gone)\b[^.?!]{0,40}", re.IGNORECASE
)
SYMPTOM_ALREADY_THERE = re.compile(r"\b(?:still|since|ago|had (?:it|my|the))\b", re.IGNORECASE)
# The depth asked for a concern ("do you go deeper for acne scars?"), which drew the pick.
ASKS_THE_DEPTH = re.compile(
    r"\b(?:go|goes|going|needles?|needling)\s+(?:any\s+|much\s+)?deeper\b|\bneedle depth\b|\bdepth of the needl"
    r"|\b(?:set|put|adjust|turn)\s+(?:it|them|the needles?)\s+(?:any\s+|much\s+|a bit\s+)?deeper\b|\bdeeper needles?\b"
    r"|\bhow deep (?:for|on|with|do|does|will|would|can|are|is)\s+(?!(?:my|your|the) (?:scars?|wrinkles?|lines?|pores?)\b)",
    re.IGNORECASE,
)
# Whether microneedling works at all, after products that did not ("tried many creams, does it
# actually do anything?"); not whether products work better with it.
ASKS_WHETHER_IT_WORKS = re.compile(
    r"(?<!\bhow )\b(?:does|do|will|would|can)\s+(?:it|microneedling|micro-?needling|this|that|the treatment|(?:the )?needling)\s+"
    r"(?:\w+\s+)?(?:work|do anything|do a thing|give (?:\w+ )?results?|make (?:a|any) difference|deliver"
    r"|live up to (?:the |its )?hype)\b"
    r"(?!\s+(?:with|on|better|together|for|after|before|if|to)\b)",
    re.IGNORECASE,
)
PRODUCTS_THAT_FAILED = re.compile(
    r"\btried\b[^.?!]{0,20}\b(?:creams?|serums?|products?|lotions?|everything|so much|loads|lots)\b|\b(?:wasted|spent)\b"
    r"|\bnever (?:did|worked|helped|changed)\b|\bno (?:result|luck|difference)"
    r"|\bnothing (?:worked|helped|changed)\b|\bdid nothing\b|\b(?:did|do|does)(?:n['’]?t| not) (?:work|help|do)\b",
    re.IGNORECASE,
)
PRODUCTS_WORKING_BETTER = re.compile(
    r"\b(?:absorb\w*|absorpt\w*|penetrat\w*|sinks? in|soaks? in|better|deeper|get in|deliver\w* (?:it|them)"
    r"|into (?:the |my |your )?skin)\b",
    re.IGNORECASE,
)
# What the guide says microneedling is done with ("what device do you use?"), not its name,
# which the guide never gives ("which model of pen is it?").
ASKS_THE_DEVICE = re.compile(
    r"^(?![\s\S]*\b(?:brands?|make|model|name|called|manufacturer|skin ?pen|at home|home)\b)[\s\S]*"
    r"\b(?:what|which|wat|wot)\s+(?:kind of |sort of |type of )?(?:device|tool|pen|instrument|machine|equipment)s?\b",
    re.IGNORECASE,
)
# Pain weighed against a tattoo's ("I've got sleeves, is microneedling worse than that?"), not
# a tattoo treated over, near, removed or faded, nor one just had.
TATTOO = re.compile(r"\btattoo", re.IGNORECASE)
PAIN = re.compile(
    r"\b(?:sore|hurt\w*|pain\w*|worse|bother\w*|sting\w*|ouch|uncomfortable|discomfort|tolerat\w*)\b", re.IGNORECASE
)
COMPARED = re.compile(
    r"\b(?:than|compared?|comparison|vs\.?|versus|like|similar|anywhere near|as (?:sore|painful|bad|much))\b",
    re.IGNORECASE,
)
# Everyday pains a visitor measures the treatment's by ("more than threading?", "like a flu jab?")
KNOWN_PAIN = re.compile(
    r"\b(?:pierc\w*|wax\w*|thread(?:ing|ed)|pluck\w*|epilat\w*|sugaring|injections?|jabs?|dentists?|botox"
    r"|fillers?|laser|electrolysis|blood tests?|flu shots?|vaccin\w*|microblading|ipl)\b",
    re.IGNORECASE,
)
# "worse than threading", "like I faint at the dentist"; not "I'd like to get waxed after" nor
# "more than usual if I get waxed", nor "worse than after waxing": what comes after another.
COMPARED_WITH_KNOWN_PAIN = re.compile(
    r"\b(?:than|compared (?:to|with)|vs\.?|versus|(?<!['’]d )(?<!would )like(?!\s+to\b))\s+"
    r"(?:(?!(?:if|after|before|usual|normal|and|but|so)\b)\S+\s+){0,4}?" + KNOWN_PAIN.pattern,
    re.IGNORECASE,
)
# The pain the comparison asks about must be the treatment's ("does it hurt more than
# waxing?"), not another's named in the same clause ("does a chemical peel hurt more than waxing?").
OTHER_TREATMENT = re.compile(
    KNOWN_PAIN.pattern + r"|\b(?:peels?|dermaplaning|tattoo\w*|facials?|hydrafacials?|microdermabrasion|removal)\b",
    re.IGNORECASE,
)
THE_TREATMENT = re.compile(
    r"\b(?:it|this|microneedling|micro-?needling|needling|mn|(?:the|a) (?:treatment|procedure|session))\b",
    re.IGNORECASE,
)
TATTOO_AS_SUBJECT = re.compile(
    r"\b(?:over|on|near|around|next to|beside|into|cover\w*|remov\w*|fad\w*|ruin\w*|damag\w*|affect\w*)\b"
    r"[^.?!]{0,20}\btattoo|\btattoo\w*\s+(?:removal|ink)\b|\b(?:new|fresh|recent) tattoo"
    r"|\btattoo\b[^.?!]{0,20}\b(?:last|ago|yesterday|recently|this|after|before|since)\b",
    re.IGNORECASE,
)


def days_counted(text: Text) -> int:
    """The most days the text counts ("day 5", "five days after", "a week on"), or 0."""
    most = 0
    for match in DAYS_COUNTED.finditer(text):
        if match.group(1):
            most = max(most, int(match.group(1)))
            continue
        count, unit = (match.group(2) or match.group(4)).lower(), (match.group(3) or match.group(5)).lower()
        number = int(count) if count.isdigit() else _NUMBER_WORDS[count]
        most = max(most, number * (14 if unit.startswith("fortnight") else 7 if unit.startswith("week") else 1))
    return most


def compares_pain_with_a_known_one(text: Text) -> bool:
    if TATTOO.search(text) and PAIN.search(text) and COMPARED.search(text) and not TATTOO_AS_SUBJECT.search(text):
        return True
    compared = COMPARED_WITH_KNOWN_PAIN.search(text)
    if not (compared and PAIN.search(text) and THE_TREATMENT.search(text)):
        return False
    clause = re.split(r"[.?!,;:]", text[: compared.start()])[-1]
    return not OTHER_TREATMENT.search(clause)


def asks_about_redness_to_come(text: Text) -> bool:
    question = REDNESS_QUESTION.search(text)
    if not (question and EVENT_AHEAD.search(text)):
        return False
    rest = text[: question.start()] + text[question.end() :]
    return not SYMPTOM_ALREADY_THERE.search(rest) and not SAID_TO_LAST.search(text)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class FaqAnswerGuard(UntrainedComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "answer_threshold": 0.4,
            "aftercare_answers": list(AFTERCARE_ANSWER_KEYS),
            "symptom_answer": "lasting_symptoms",
            "symptom_threshold": 0.8,
            # The answer about the redness of the first day or two, which a pick between the
            # two symptom answers may land on.
            "short_lived_symptom_answer": "redness_after",
            # The answer on exfoliating and harsh products; the answers on what microneedling does;
            # and below what confidence a reading as out of scope of a guide question naming a
            # product or an injectable is unsure.
            "exfoliant_answer": "exfoliation_and_harsh_products",
            "results_answers": [
                "benefits_overview",
                "fine_lines_wrinkles",
                "texture_scars_stretch_marks",
                "pore_size",
                "skin_health",
                "effectiveness",
            ],
            "named_out_of_scope_doubt": 0.85,
            # The answer on the session's steps, which "step by step" draws.
            "session_answer": "session_steps",
            # Answers a question names by what it asks, whatever drew the pick: the pain, the
            # needles' depth, whether it works, and who does it with what device.
            "pain_answer": "does_it_hurt",
            "depth_answer": "needle_depth",
            "effectiveness_answer": "effectiveness",
            "product_answer": "product_absorption",
            "device_answer": "who_performs_it",
            # The guide's aftercare advice, which an undated request for it is answered with.
            "aftercare_advice_answer": "aftercare",
            # The nearest examples' margins, for the similarity of the encoder's joined layers
            # and its vote (config.yml): with round 18's vote, 0.06 and 0.02 answer 2 fewer
            # out-of-scope questions of blind sets A to ZM than 0.08 and 0.02, for one more
            # wrong reading (docs/understanding.md, rounds 17 and 18).
            "out_of_scope_margin": 0.06,
            # Below this, a reading as out of scope is unsure enough for a dated question on
            # what to do to go to the aftercare timing.
            "out_of_scope_doubt": 0.8,
            "unsure_nearest_margin": 0.02,
            # An unsure message between the guide and out of scope whose answer is picked with
            # this confidence, and whose answer's examples are as near as any out-of-scope one.
            "sure_answer_threshold": 0.7,
            # A reading as out of scope below this, with the guide next, is answered when the
            # ResponseSelector's pick has the second confidence and its examples are as near.
            "out_of_scope_unsure": UNSURE_OUT_OF_SCOPE,
            "sure_over_out_of_scope_threshold": 0.85,
            # What an unsure message may be settled to by its nearest example: a reply that
            # answers a request, never an intent that acts on the conversation (stop, yes/no,
            # a date for a form, the callback form that asks for a phone number), nor small
            # talk: a short sound ("huh", "umm") lies near "hi" by chance.
            "settled_by_nearest": [OUT_OF_SCOPE_INTENT, "book_consultation", "ask_suitability", AFTERCARE_INTENT],
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.threshold = float(config["answer_threshold"])
        self.aftercare_answers = {f"{RETRIEVAL_INTENT}/{key}" for key in config["aftercare_answers"]}
        self.symptom_answer = f"{RETRIEVAL_INTENT}/{config['symptom_answer']}"
        self.symptom_threshold = float(config["symptom_threshold"])
        self.short_lived_symptom_answer = f"{RETRIEVAL_INTENT}/{config['short_lived_symptom_answer']}"
        self.symptom_answers = {self.symptom_answer, self.short_lived_symptom_answer}
        self.session_answer = f"{RETRIEVAL_INTENT}/{config['session_answer']}"
        self.pain_answer = f"{RETRIEVAL_INTENT}/{config['pain_answer']}"
        self.depth_answer = f"{RETRIEVAL_INTENT}/{config['depth_answer']}"
        self.effectiveness_answer = f"{RETRIEVAL_INTENT}/{config['effectiveness_answer']}"
        self.product_answer = f"{RETRIEVAL_INTENT}/{config['product_answer']}"
        self.device_answer = f"{RETRIEVAL_INTENT}/{config['device_answer']}"
        self.aftercare_advice_answer = f"{RETRIEVAL_INTENT}/{config['aftercare_advice_answer']}"
        self.exfoliant_answer = f"{RETRIEVAL_INTENT}/{config['exfoliant_answer']}"
        self.results_answers = {f"{RETRIEVAL_INTENT}/{key}" for key in config["results_answers"]}
        self.named_out_of_scope_doubt = float(config["named_out_of_scope_doubt"])
        self.out_of_scope_margin = float(config["out_of_scope_margin"])
        self.out_of_scope_doubt = float(config["out_of_scope_doubt"])
        self.unsure_nearest_margin = float(config["unsure_nearest_margin"])
        self.sure_answer_threshold = float(config["sure_answer_threshold"])
        self.out_of_scope_unsure = float(config["out_of_scope_unsure"])
        self.sure_over_out_of_scope_threshold = float(config["sure_over_out_of_scope_threshold"])
        self.settled_by_nearest = set(config["settled_by_nearest"])

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if not self._check_reading(message):
                self._follow_nearest_examples(message)
        return messages

    def _check_reading(self, message: Message) -> bool:
        """The checks on the intent and the answer picked; True when they settled the
        answer (the question it was cut for, a lasting symptom), which then stands."""
        if QUESTION.search(message.get(TEXT) or ""):
            self._next_intent_than_stop(message)
        intent = message.get(INTENT) or {}
        name = intent.get(INTENT_NAME_KEY)
        pick = picked_answer(message)
        has_date = self._has_date(message)
        cut_for = (message.get(METADATA) or {}).get("split_answer")
        if cut_for and cut_for == pick.get("intent_response_key") and not has_date:
            set_intent(message, RETRIEVAL_INTENT, pick.get("confidence", 0.0), answer=cut_for)
            return True
        text = message.get(TEXT) or ""
        read_as_a_guide_question = name in (RETRIEVAL_INTENT, DEFAULT_NLU_FALLBACK_INTENT_NAME, *AFTERCARE_INTENTS)
        unsure_out_of_scope = name == OUT_OF_SCOPE_INTENT and intent.get("confidence", 1.0) < self.out_of_scope_unsure
        if read_as_a_guide_question or unsure_out_of_scope:
            said_to_last = bool(SAID_TO_LAST.search(text))
            # "the bruising still hasn't gone down", read unsurely as out of scope: a symptom
            # said to last, though the guide names only redness and sensitivity (not "my acne
            # scars won't go away")
            if (read_as_a_guide_question or (said_to_last and SYMPTOM_WORDS.search(text))) and self._is_lasting_symptom(
                text, pick, has_date, said_to_last
            ):
                set_intent(message, RETRIEVAL_INTENT, pick["confidence"], answer=self.symptom_answer)
                return True
        if name in (DEFAULT_NLU_FALLBACK_INTENT_NAME, AFTERCARE_INTENT) and self._asks_for_the_aftercare_advice(
            text, pick, has_date
        ):
            set_intent(message, RETRIEVAL_INTENT, pick["confidence"], answer=self.aftercare_advice_answer)
            return True
        if name in (RETRIEVAL_INTENT, DEFAULT_NLU_FALLBACK_INTENT_NAME, OUT_OF_SCOPE_INTENT) and (
            compares_pain_with_a_known_one(text)
        ):
            set_intent(message, RETRIEVAL_INTENT, intent.get("confidence", 1.0), answer=self.pain_answer)
            return True
        if name == RETRIEVAL_INTENT and self._asks_the_device_surely_picked(text, pick):
            return True
        named = self._answer_the_question_names(text, pick, has_date) if name == RETRIEVAL_INTENT else None
        if named:
            set_intent(message, RETRIEVAL_INTENT, intent.get("confidence", 1.0), answer=named)
            return True
        if name in (OUT_OF_SCOPE_INTENT, DEFAULT_NLU_FALLBACK_INTENT_NAME) and self._is_guide_question_beside_a_name(
            message, intent, pick
        ):
            self._answer_or_dated_aftercare(message, pick, intent.get("confidence", 1.0))
            return True
        if name == OUT_OF_SCOPE_INTENT:
            self._aftercare_question_read_as_out_of_scope(message, intent, has_date)
            return False
        if name not in (RETRIEVAL_INTENT, DEFAULT_NLU_FALLBACK_INTENT_NAME):
            return False
        asks_what_applies_when = bool(ASKS_WHAT_APPLIES_WHEN.search(message.get(TEXT) or ""))
        # With a date, a lasting symptom picked for a message naming none ("10 days since my
        # session, anything still off limits?") was drawn by "still": the day's aftercare is asked.
        picked_symptom_not_named = (
            has_date
            and pick.get("intent_response_key") == self.symptom_answer
            and not SYMPTOM_WORDS.search(message.get(TEXT) or "")
        )
        answer = pick.get("intent_response_key")
        # "day 1 after microneedling, what do I do": with a date, what to do is the day's aftercare,
        # whichever answer drew the pick but one about symptoms.
        dated_what_to_do = (
            has_date
            and answer not in self.symptom_answers
            and bool(ASKS_WHAT_TO_DO.search(message.get(TEXT) or ""))
            and self._aftercare_is_likely(message)
        )
        if picked_symptom_not_named or (
            name == RETRIEVAL_INTENT
            and (
                dated_what_to_do
                or ((has_date or asks_what_applies_when) and answer in self.aftercare_answers)
                # "step by step, what should I do in the days after my session": not the session's steps
                or (asks_what_applies_when and answer == self.session_answer)
            )
        ):
            set_intent(message, AFTERCARE_INTENT, intent.get("confidence", 1.0))
            return False
        unsure = name == DEFAULT_NLU_FALLBACK_INTENT_NAME or pick.get("confidence", 0.0) < self.threshold
        if not unsure:
            return False
        if (has_date or asks_what_applies_when) and self._aftercare_is_likely(message):
            set_intent(message, AFTERCARE_INTENT, intent.get("confidence", 1.0))
        elif name == RETRIEVAL_INTENT:
            logger.debug(
                f"Answer {pick.get('intent_response_key')} picked with {pick.get('confidence')}: "
                f"below {self.threshold}, predicting {DEFAULT_NLU_FALLBACK_INTENT_NAME}."
            )
            set_intent(message, DEFAULT_NLU_FALLBACK_INTENT_NAME, self.threshold)
        return False

    def _aftercare_question_read_as_out_of_scope(
        self, message: Message, intent: Dict[Text, Any], has_date: bool
    ) -> None:
        """Out of scope, not surely, for a visitor who says when their treatment was or will be
        and asks what to do ("I have the appointment in 2 hours, what do I do when I get home"),
        or, less surely still, who asks what applies when ("when is it safe to go back to my
        usual routine after treatment"), with the aftercare timing among the likeliest
        intents: the aftercare timing."""
        confidence, text = intent.get("confidence", 1.0), message.get(TEXT) or ""
        dated_what_to_do = has_date and confidence < self.out_of_scope_doubt and ASKS_WHAT_TO_DO.search(text)
        asks_what_applies_when = confidence < self.out_of_scope_unsure and ASKS_WHAT_APPLIES_WHEN.search(text)
        if (dated_what_to_do or asks_what_applies_when) and (
            AFTERCARE_INTENT in ranked_intents(message)[:AFTERCARE_OUT_OF_SCOPE_RANK]
        ):
            set_intent(message, AFTERCARE_INTENT, confidence)

    def _asks_for_the_aftercare_advice(self, text: Text, pick: Dict[Text, Any], has_date: bool) -> bool:
        """An undated request for the guide's aftercare advice, with that answer picked, read
        unsurely or as the aftercare timing: not one on what applies when."""
        return (
            not has_date
            and pick.get("intent_response_key") == self.aftercare_advice_answer
            and pick.get("confidence", 0.0) >= self.threshold
            and bool(ASKS_FOR_THE_AFTERCARE_ADVICE.search(text))
            and not ASKS_WHAT_APPLIES_WHEN.search(text)
            and not ASKS_WHEN.search(text)
        )

    def _asks_the_device_surely_picked(self, text: Text, pick: Dict[Text, Any]) -> bool:
        """ "What device do you use?" with the guide's answer on it surely picked: the reading
        stands, though a question on the device's brand, which the guide does not name, is
        its nearest example (GuideGapCheck still declines one that names a brand)."""
        return (
            pick.get("intent_response_key") == self.device_answer
            and pick.get("confidence", 0.0) >= self.sure_answer_threshold
            and bool(ASKS_THE_DEVICE.search(text))
        )

    def _answer_the_question_names(self, text: Text, pick: Dict[Text, Any], has_date: bool) -> Optional[Text]:
        """The answer a guide question names by what it asks, when the pick fell on words beside
        it: the depth for a concern ("do you go deeper for acne scars?"); whether it works at all
        after creams that did not ("tried many creams, does it actually do anything?"); the
        redness of the first days, asked with an event ahead ("a wedding 3 days after, will I
        still be red by then?"), not after a past treatment. None when nothing is named."""
        answer = pick.get("intent_response_key")
        if answer in self.results_answers and answer != self.depth_answer and ASKS_THE_DEPTH.search(text):
            return self.depth_answer
        if (
            answer == self.product_answer
            and ASKS_WHETHER_IT_WORKS.search(text)
            and PRODUCTS_THAT_FAILED.search(text)
            and not PRODUCTS_WORKING_BETTER.search(text)
        ):
            return self.effectiveness_answer
        if (
            answer == self.symptom_answer
            and asks_about_redness_to_come(text)
            and (not has_date or read_treatment_time(text, current_time("UTC")).ahead)
        ):
            return self.short_lived_symptom_answer
        return None

    def _is_guide_question_beside_a_name(
        self, message: Message, intent: Dict[Text, Any], pick: Dict[Text, Any]
    ) -> bool:
        """A guide question naming something that many out-of-scope questions name, read
        unsurely as out of scope: an exfoliating or harsh product for the days after the
        treatment ("can I use my at-home peel pads the next day?"), with the ResponseSelector
        sure of the guide's answer on them; or an injectable the visitor avoids, beside a
        question on what microneedling does ("my mum wants to know if it helps wrinkles, she
        refuses to do botox"), with one of those answers picked."""
        if intent.get("confidence", 1.0) >= self.named_out_of_scope_doubt:
            return False
        text = message.get(TEXT) or ""
        answer, confidence = pick.get("intent_response_key"), pick.get("confidence", 0.0)
        if answer == self.exfoliant_answer:
            return (
                confidence >= self.sure_answer_threshold
                and bool(EXFOLIANTS.search(text))
                and bool(SAYS_AFTER_THE_TREATMENT.search(text))
            )
        if answer == self.device_answer:
            return self._asks_the_device_surely_picked(text, pick)
        return answer in self.results_answers and confidence >= self.threshold and bool(AVOIDS_INJECTABLES.search(text))

    def _is_lasting_symptom(self, text: Text, pick: Dict[Text, Any], has_date: bool, said_to_last: bool) -> bool:
        """A symptom picked surely as lasting, or asked about on a given day since the
        treatment, or more days after it than the guide's day or two, with the pick an answer
        about symptoms, however sure ("treated on Monday, still red, normal?")."""
        if not (said_to_last or SYMPTOM_WORDS.search(text)):
            return False
        answer, confidence = pick.get("intent_response_key"), pick.get("confidence", 0.0)
        if answer == self.symptom_answer and confidence >= self.symptom_threshold:
            return True
        if answer in self.symptom_answers and confidence >= self.threshold and said_to_last:
            return True
        if answer not in self.symptom_answers or confidence < self.threshold or not ASKS_ABOUT_SYMPTOM.search(text):
            return False
        # "red and tender five days after, is this expected?": days counted past the first two
        counted_past_the_guides = days_counted(text) > GUIDE_SYMPTOM_DAYS and not asks_about_redness_to_come(text)
        # "booked for Friday, will I still be red on Monday?" asks about the usual redness
        return (has_date or counted_past_the_guides) and not read_treatment_time(text, current_time("UTC")).ahead

    def _follow_nearest_examples(self, message: Message) -> None:
        nearest = message.get(NEAREST_EXAMPLES)
        if not nearest:
            return
        intent = message.get(INTENT) or {}
        name = intent.get(INTENT_NAME_KEY)
        pick = picked_answer(message)
        if name == RETRIEVAL_INTENT and OUT_OF_SCOPE_INTENT in nearest:
            answer = intent.get(FULL_RETRIEVAL_INTENT_NAME_KEY) or pick.get("intent_response_key")
            if answer not in nearest:
                return
            if nearest[OUT_OF_SCOPE_INTENT] - nearest[answer] > self.out_of_scope_margin:
                logger.debug(f"Nearer to an out-of-scope example than to one of {answer}: declined.")
                set_intent(message, OUT_OF_SCOPE_INTENT, intent.get("confidence", 1.0))
        elif name == DEFAULT_NLU_FALLBACK_INTENT_NAME and len(nearest) > 1:
            if not self._settle_by_nearest_label(message, nearest, pick):
                self._answer_sure_pick(message, nearest, pick, self.sure_answer_threshold)
        elif (
            name == OUT_OF_SCOPE_INTENT
            and intent.get("confidence", 1.0) < self.out_of_scope_unsure
            and ranked_intents(message)[1:2] == [RETRIEVAL_INTENT]
        ):
            self._answer_sure_pick(message, nearest, pick, self.sure_over_out_of_scope_threshold)

    def _settle_by_nearest_label(self, message: Message, nearest: Dict[Text, float], pick: Dict[Text, Any]) -> bool:
        first, second = sorted(nearest, key=nearest.get, reverse=True)[:2]
        if nearest[first] - nearest[second] <= self.unsure_nearest_margin:
            return False
        ranked = {
            entry.get(INTENT_NAME_KEY): entry.get("confidence", 0.0) for entry in message.get(INTENT_RANKING_KEY) or []
        }
        if first == pick.get("intent_response_key"):
            set_intent(message, RETRIEVAL_INTENT, max(pick.get("confidence", 0.0), self.threshold), answer=first)
            return True
        if first in self.settled_by_nearest:
            set_intent(message, first, max(ranked.get(first, 0.0), self.threshold))
            return True
        return False

    def _answer_sure_pick(
        self, message: Message, nearest: Dict[Text, float], pick: Dict[Text, Any], threshold: float
    ) -> None:
        """Unsure only whether the guide answers it, with the ResponseSelector sure of its
        answer, and no question the guide does not answer nearer than that answer's
        examples: the answer; or, with a date and an answer on aftercare, the aftercare
        timing, as for a sure reading."""
        answer, confidence = pick.get("intent_response_key"), pick.get("confidence", 0.0)
        ranked = ranked_intents(message)
        if (
            ranked
            and ranked[0] in (RETRIEVAL_INTENT, OUT_OF_SCOPE_INTENT)
            and confidence >= threshold
            and answer in nearest
            and OUT_OF_SCOPE_INTENT in nearest
            and nearest[answer] >= nearest[OUT_OF_SCOPE_INTENT]
        ):
            # "say I go out in the sun on day 2": the aftercare of that day
            self._answer_or_dated_aftercare(message, pick, confidence)

    def _answer_or_dated_aftercare(self, message: Message, pick: Dict[Text, Any], aftercare_confidence: float) -> None:
        """The picked answer; or, for a message that says when the treatment was and an
        answer on aftercare, the aftercare timing."""
        answer = pick["intent_response_key"]
        if self._has_date(message) and answer in self.aftercare_answers:
            set_intent(message, AFTERCARE_INTENT, aftercare_confidence)
        else:
            set_intent(message, RETRIEVAL_INTENT, pick["confidence"], answer=answer)

    @staticmethod
    def _has_date(message: Message) -> bool:
        return any(entity.get(ENTITY_ATTRIBUTE_TYPE) == DATE_ENTITY for entity in message.get(ENTITIES) or [])

    @staticmethod
    def _next_intent_than_stop(message: Message) -> None:
        """A question read as `stop`, surely or unsurely, gets the next intent: surely read,
        whatever its confidence; unsurely, if it reaches the fallback threshold (which
        FallbackClassifier gives as its own confidence)."""
        intent = message.get(INTENT) or {}
        ranking = message.get(INTENT_RANKING_KEY) or []
        ranked = [entry for entry in ranking if entry.get(INTENT_NAME_KEY) != DEFAULT_NLU_FALLBACK_INTENT_NAME]
        if not ranked or ranked[0].get(INTENT_NAME_KEY) != STOP_INTENT or len(ranked) < 2:
            return
        following = ranked[1]
        surely_stop = intent.get(INTENT_NAME_KEY) == STOP_INTENT
        sure_enough = following.get("confidence", 0.0) >= intent.get("confidence", 1.0)
        if surely_stop or (intent.get(INTENT_NAME_KEY) == DEFAULT_NLU_FALLBACK_INTENT_NAME and sure_enough):
            set_intent(message, following[INTENT_NAME_KEY], following.get("confidence", 0.0))

    @staticmethod
    def _aftercare_is_likely(message: Message) -> bool:
        return any(name in AFTERCARE_INTENTS for name in ranked_intents(message)[:AFTERCARE_RANK])
