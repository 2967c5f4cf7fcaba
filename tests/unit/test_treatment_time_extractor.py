"""TreatmentTimeExtractor on Rasa's Message objects, as the pipeline hands them over."""

from rasa.shared.nlu.training_data.message import Message

from components.treatment_time import TreatmentTimeExtractor

EXTRACTOR = TreatmentTimeExtractor()


def entities_of(text, entities=()):
    message = Message(data={"text": text, "entities": list(entities)})
    return EXTRACTOR.process([message])[0].get("entities")


def test_marks_the_phrase_where_it_is_written():
    [entity] = entities_of("Booked for the 5th, what should I expect?")
    assert entity == {
        "entity": "treatment_time",
        "start": 11,
        "end": 18,
        "value": "the 5th",
        "extractor": "TreatmentTimeExtractor",
    }


def test_vague_times_are_marked_so_the_assistant_can_ask():
    assert [e["value"] for e in entities_of("had it a while back, what now")] == ["a while back"]


def test_no_time_no_entity_and_others_kept():
    other = {"entity": "something", "start": 0, "end": 2, "value": "hi"}
    assert entities_of("hi, does it hurt?", [other]) == [other]
    assert entities_of("") == []
