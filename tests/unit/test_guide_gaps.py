"""GuideGapCheck: questions for what the guide never gives (a product's name, an exact
figure, preparing for the treatment) are declined, whatever answer was nearest."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from components.guide_gaps import GuideGapCheck, gap_asked

CHECK = GuideGapCheck()


def parsed(text, intent="faq", answer="does_it_hurt"):
    return Message(
        data={
            "text": text,
            "intent": {"name": intent, "confidence": 0.9},
            "intent_ranking": [{"name": intent, "confidence": 0.9}],
            "response_selector": {"faq": {"response": {"intent_response_key": f"faq/{answer}", "confidence": 0.9}}},
        }
    )


def intent_after_check(text, intent="faq"):
    return CHECK.process([parsed(text, intent)])[0].get("intent")["name"]


@pytest.mark.parametrize(
    "text",
    [
        "which anaesthetic cream do you put on my face",
        "what numbing cream is used",
        "is the numbing stuff lidocaine or something else",
        "what brand of serum goes on afterwards",
        "how many weeks apart exactly",
        "is it 3 or 4 weeks between sessions?",
        "exactly how long do i stay away from acids",
        "should i pause my retinoid cream before the appointment",
        "how do i prep my skin beforehand",
        "anything to do the night before my session",
        "what should i do before my appointment to prepare",
        "how long does the numbing take to kick in",
        "how many needles are on the device exactly",
        "what % improvement do people get",
        "link me one peer reviewed study",
        "which sunscreen brand is best after",
        "is it exactly 4 or 6 weeks between treatments",
        "how long after botox should i wait before my appointment",
        "what are the long-term risks",
        "any long term side effects?",
        "does it work on melasma",
        "is it safe while pregnant",
        "what if i was pregnant and didn't know, is it safe?",
        "i got pregnant last month, can i still have it",
        "can i have it if i'm on accutane",
        "is it ok for dark skin",
        "how much does it cost",
        "how long does a session take",
        "how long do the results last",
        "is the consultation free or do you charge for it",
        "what would a full course set me back roughly",
        "can microneedling leave scars itself",
        "does it ever cause scarring",
        "can you needle over active breakouts",
        "how often do i need maintenance top-ups to keep it",
        "are there clinical studies on it",
        "what's the success rate",
        "is it a quick in-and-out or will i be there all afternoon",
        "how long is each appointment",
        "what strength is the topical anaesthetic",
        "is it better to leave exactly 4 weeks or 6 weeks between sessions?",
        "is RF microneedling the same as what you do",
        "should i buy a dermaroller for home",
        "how often should i be doing it at home",
        "is a home derma pen as good",
        "im on blood pressure tablets, does that change anything",
        "is it fine if i'm taking antihistamines",
        "what if i'm allergic to the numbing",
        "am i old enough at 16",
        "is there an age limit",
        "can i have a glass of wine the night after",
        "does alcohol make the redness worse",
        "can i get botox on the same day",
        "had fillers last month, is that a problem",
        "should i get microneedling or a chemical peel",
        "is it better than laser for acne scars",
        "can i put ice on my face after",
        "does it hurt more on my period",
        "how much is a package of 3 sessions",
        "what's the price",
        "prices for a course of 3?",
        "do the results wear off after a year",
        "does your skin purge first",
        "how long before my graduation should i book it",
        "will my skin bleed?",
        "is it over £100?",
        "I paid £40 last time, is it £50 here?",
        "does medical aid cover microneedling?",
        "can I get it on the NHS",
        "whats the difference between microneedling and dermaplaning",
        "what's the difference between a hydrafacial and microneedling?",
        "is it safe around the eyes for crows feet",
        "how safe is microneedling really",
        "can i work out after microneedling or will sweat be a problem",
        "when can I go swimming after my session",
        "are there side effects in the long run",
        "any risks long-term, like years down the line?",
        "any side effects down the road?",
        "could it cause complications later in life",
        "can it fix the thread veins around my nose",
        "will it help my spider veins",
        "does it treat telangiectasia",
        "can I go to the gym after?",
        "difference between micro needling and dermaplaning",
        "will it plump my lips",
        "is microneedling FDA approved? or Health Canada approved?",
        "is it 4 weeks or 8 between them? i want a number",
        "just give me an exact figure for the weeks between sessions",
        "I need an exact figure of the weeks between sessions",
        "what's the exact number of days until my skin looks better",
        "i need the exact number to book my leave",
        "just tell me the precise figure, not 'a few'",
        "is it exactly 5 weeks between treatments or 8? need it for my rota",
        "is it exactly four weeks between sessions or six",
        "I have dark skin, will it leave dark marks after the treatment?",
        "i have rosacea, will i flush for days after",
        "I have dark skin, will it leave dark marks a few weeks after?",
        "i have melasma, will it flare 2 weeks later?",
        "what’s the exact number of weeks until it heals",
        "is it exactly six weeks between sessions or eight",
        "stretch marks since i was pregnant, is it safe to have it while breastfeeding",
        # preparing, with the treatment unnamed or asked of patients
        "can i use my vitamin c serum the night before?",
        "should patients discontinue topical retinoids before treatment, and for how long?",
        "can i go on a sunbed before my treatment",
        # a price asked without "session" right after "how much"
        "how much for acne scar treatment",
        "how much per session",
        # aftercare the guide does not name
        "when can i wash my face after",
        "how soon am i allowed to shower after",
        "can i use fake tan after",
        # another treatment or device
        "do you offer microneedling with radiofrequency?",
        "is nano needling the same thing",
        "are those at-home microneedling pens any good",
        # how long results last
        "once i've had it, how long will the improvement stick around",
        # an exact number of weeks or days, asked without "exactly"
        "exact number of weeks between sessions?",
        "precise number of days until the redness goes",
        # complications
        "What's the complication profile - infection, granulomas, scarring?",
        "can it cause an infection",
    ],
)
def test_a_question_for_what_the_guide_never_gives_is_declined(text):
    assert gap_asked(text)
    assert intent_after_check(text) == "out_of_scope"
    assert intent_after_check(text, "nlu_fallback") == "out_of_scope"


@pytest.mark.parametrize(
    "text",
    [
        "what device do you use",
        "what numbing do you use",
        "what exactly is microneedling",
        "do you go 0.5mm or 1.5mm deep",
        "done on 20/11, what aftercare applies now",
        "is there any prep done on the skin before the needles",
        "do you assess my skin before treatment?",
        "do i need a consultation before microneedling",
        "what happens before the needles go in",
        "how long will i be red",
        "can i use my retinol after the treatment",
        "which serums absorb better after",
        "which serum absorbs better after the treatment",
        "What exactly is microneedling and how long does it last?",
        "what exactly happens on the day of my treatment",
        "What exactly should I avoid in the days after?",
        "I've had redness for 2 or 3 days, is that normal?",
        "how many sessions exactly will I need",
        "is the needle depth 0.5 or 1.5mm?",
        "I'm brand new to microneedling, how does it work?",
        "what serum is best to apply after microneedling?",
        "what cream can I put on after microneedling",
        "which cream is gentle enough to apply afterwards",
        "is my skin prepped before the treatment, like cleansed and numbed?",
        "is there any prep done on the skin before the treatment",
        "do I need a consultation a few days before my treatment?",
        "will the stinging stop before the session ends",
        "how long should i wait before my next session",
        "do i wait a few weeks before microneedling again",
        "what are the long-term benefits",
        "what effects will i see in the long run?",
        "what kind of sunscreen should i wear after",
        "can it fade stretch marks from pregnancy",
        "stretch marks on my belly from when i was pregnant, can it help",
        "dark spots since my session, is that normal?",
        "is it done with a laser or with real needles",
        "will my expensive serum work better after",
        "can it get rid of my acne scars",
        "does it leave me red for long",
        "is it worth the money",
        "will i need top quality sunscreen after",
        "how long is the healing",
        "do i need a consultation first, and is it with a professional?",
        "my acne cleared up on medication but left pitted scars, can it help",
        "my mum wants something for her wrinkles that isn't botox",
        "can it smooth wrinkles or is that a botox thing",
        "ice pick scars, any good?",
        "can i do a chemical peel the week after",
        "when can i go back on my tretinoin",
        "how much does it hurt",
        "how much downtime is there",
        "i had bad acne as a teenager, will it help the scars",
        "does it work as you get older",
        "saw CIT on your price list, what is it",
        "how long before my holiday is the redness gone",
        "my sister's wedding is 3 days after my appointment, will i still be red",
        "spent like £90 on a serum that does nothing, would microneedling help it absorb",
        "a bit of bleeding since my session, is that normal?",
        "how many needles are on the device",
        "does the numbing cream work well",
        "what should i do before my appointment",
        "what's the difference between CIT and microneedling?",
        "is there any difference between collagen induction therapy and microneedling",
        "is it safe to use my serum after",
        "when is it safe to go out in the sun",
        "can it help the stretch marks on my shoulders from bulking at the gym",
        "got lines round my lips from smoking years ago, can this help them",
        "I used my glycolic toner the day after, is that safe?",
        "how safe is it to go in the sun the next day?",
        "i need a number of sessions, how many is typical",
        "i need the number of the clinic to call",
        "is it exactly 4 weeks after that i can use retinol again or longer",
        "my skin's rosacea prone and still blotchy 4 days after, normal?",
        "i have dark skin and 10 days later there are brown marks where the needles went, is that normal",
        "brown skin here, a week since my session and there are dark patches, expected?",
        "I have dark skin and got brown marks 2 months after my session, normal?",
        "rosacea here, still flushed a couple of days after, is that ok",
        "what's the exact number of sessions I'll need?",
        "can you tell me the exact number of treatments for acne scars?",
        "is it exactly 2 weeks for one session to heal?",
        "what is a number I can call you on?",
        "do you need a number or an email?",
        "can I put lip balm on my lips after?",
        "can I wear a sweatshirt after my session?",
        "difference between the CIT and microneedling",
        "what's the difference between skin needling and microneedling",
        "how much sessions i need for good result?",
        "how many weeks between sessions",
        "how much downtime is there",
        "how much does it hurt",
        "how much recovery time between each session",
        "had it this morning, what should i do tonight before bed",
        "it still stings when i wash my face and its been 5 days",
        "getting it the week before my wedding. how long does the redness last?",
        "can i use numbing cream before",
        "what should i use after to help it heal",
        "are the needles sterile? scared of getting an infection",
        "i think my face is infected after microneedling, is that normal",
        # what the clinic does before the needles is the session's steps
        "do you clean and prep my skin before you start?",
    ],
)
def test_a_question_the_guide_answers_is_left_alone(text):
    assert not gap_asked(text)
    assert intent_after_check(text) == "faq"


def test_other_intents_are_left_alone():
    # the aftercare timing says what applies; a greeting is a greeting
    assert intent_after_check(
        "had it 3 days ago, how many days exactly until i can use retinol", "ask_aftercare_timing"
    ) == ("ask_aftercare_timing")
    assert intent_after_check("hi, which numbing cream do you use", "greet") == "greet"


@pytest.mark.parametrize("intent", ["ask_aftercare_timing", "inform_treatment_date"])
def test_preparing_for_a_treatment_is_declined_even_when_read_as_the_aftercare_timing(intent):
    # The aftercare timing says what applies after; the guide has nothing for before.
    text = "do i have to come off my retinol cream before my appointment, and for how many days"
    assert intent_after_check(text, intent) == "out_of_scope"


@pytest.mark.parametrize(
    "text",
    [
        "had lip filler 2 weeks ago, can i do microneedling now",
        "finished isotretinoin 2 months ago, is that too soon for microneedling?",
        "I had a chemical peel last week. Can I still have microneedling on Friday or is that too soon?",
    ],
)
def test_microneedling_after_another_treatment_is_declined_even_when_read_as_the_aftercare_timing(text):
    # The date is the other treatment's; the guide says nothing of combining them.
    assert intent_after_check(text, "ask_aftercare_timing") == "out_of_scope"


@pytest.mark.parametrize(
    "text",
    [
        "had microneedling 3 days ago, what can i do now",
        "had my session on monday, can i wear makeup yet",
    ],
)
def test_the_aftercare_timing_of_a_microneedling_date_is_left_alone(text):
    assert intent_after_check(text, "ask_aftercare_timing") == "ask_aftercare_timing"


@pytest.mark.parametrize(
    "text",
    [
        "I'm a student and can't afford to look weird for long - roughly how does healing go",
        "i cant afford to be red for days at work, how long does the redness last",
    ],
)
def test_not_affording_to_look_or_be_some_way_asks_no_price(text):
    assert not gap_asked(text)


@pytest.mark.parametrize(
    "text",
    [
        "i can only afford two sessions, will that be enough?",
        "on a tight budget so can only afford a couple of treatments, do most people need more?",
    ],
)
def test_the_sessions_one_can_only_afford_ask_how_many_are_needed(text):
    assert not gap_asked(text)


@pytest.mark.parametrize(
    "text",
    [
        "i have a home derma roller, how far apart do you do it in the clinic?",
        "i have an at-home roller, how far apart do you do it in the clinic?",
    ],
)
def test_a_home_roller_beside_a_question_on_the_clinics_treatment_is_context(text):
    assert not gap_asked(text)


@pytest.mark.parametrize(
    "text",
    [
        "the spf you recommend, do i use it at home too?",
        "i was given a post-treatment balm, how often should i use it at home",
    ],
)
def test_a_product_used_at_home_is_no_home_treatment(text):
    assert not gap_asked(text)


@pytest.mark.parametrize(
    "text", ["we can only afford 2 sessions, how much is each?", "is microneedling only affordable for rich people?"]
)
def test_affording_only_so_many_sessions_beside_a_price_question_is_a_price(text):
    assert gap_asked(text)


@pytest.mark.parametrize(
    "text", ["can i afford it on a student budget", "is it affordable", "can't afford much, how much?"]
)
def test_affording_the_treatment_is_a_price(text):
    assert gap_asked(text)


def test_affording_to_be_treated_is_a_price():
    assert gap_asked("can I afford to be treated monthly?")
