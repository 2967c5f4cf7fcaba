"""Messaging connectors: Rasa's own, with the fixes this assistant needs.

Name them in credentials.yml by module path instead of the built-in name; their
webhooks keep Rasa's addresses (/webhooks/<channel>/webhook). See README,
"Connect a messaging channel".
"""
