"""What every channel does with a message before Rasa handles it (connectors.web.handled),
with Rasa's handler stood in for by one that fails where a database outage would."""

import asyncio

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from connectors.apology import APOLOGY, NOT_SAVED
from connectors.web import handled
from persistence.outage import TrackerStoreUnavailable


def faq(key):
    return {
        "intent": {"name": "faq", "confidence": 0.95},
        "entities": [],
        "response_selector": {"faq": {"response": {"intent_response_key": f"faq/{key}", "confidence": 0.9}}},
    }


async def nlu(text):
    return faq("does_it_hurt") if "hurt" in text else faq("session_spacing")


def test_each_question_of_a_message_gets_its_own_turn_and_its_own_apology():
    turns = []

    async def rasa(message):
        turns.append(message.text)
        if len(turns) == 1:  # the first answer went out, then its save failed
            await message.output_channel.send_text_message(message.sender_id, "It is numbed first.")
            raise TrackerStoreUnavailable("could not save conversation", answered=True)
        raise TrackerStoreUnavailable("could not read conversation")

    output = CollectingOutputChannel()
    asyncio.run(handled(rasa, nlu)(UserMessage("does it hurt? and how far apart are sessions?", output, "visitor")))
    assert turns == ["does it hurt?", "how far apart are sessions?"]
    assert [message["text"] for message in output.messages] == ["It is numbed first.", NOT_SAVED, APOLOGY]
