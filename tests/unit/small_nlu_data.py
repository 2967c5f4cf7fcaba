"""A few examples of two intents and two FAQ answers, for unit tests that train DIET or the
ResponseSelector in seconds."""

TRAINING_DATA = """
version: "3.1"
nlu:
- intent: greet
  examples: |
    - hello
    - hi there
    - good morning
- intent: faq/pain
  examples: |
    - does it hurt
    - is it painful
    - will i feel the needles
- intent: faq/redness
  examples: |
    - will i be red after
    - how long does the redness last
    - is my skin pink afterwards
responses:
  utter_faq/pain:
  - text: It can feel a little uncomfortable.
  utter_faq/redness:
  - text: Some redness for a day or two.
"""
