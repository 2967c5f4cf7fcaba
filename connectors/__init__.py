"""Messaging connectors: Rasa's own, with the fixes this assistant needs.

Name them in credentials.yml by module path instead of the built-in name; their
webhooks keep Rasa's addresses (/webhooks/<channel>/webhook). See docs/channels.md,
"Connect a messaging channel". Every channel checks its input (`connectors.checks`) and
apologises instead of falling silent when a turn cannot be handled (`connectors.apology`).
"""
