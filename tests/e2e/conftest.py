"""The end-to-end tests use the `servers` and `sender` fixtures of tests/conftest.py
(real Rasa server and action server on loopback); its helpers are re-exported here."""

from tests.conftest import ARTIFACTS, FIXED_NOW, MODEL, PROJECT, Servers, texts  # noqa: F401
