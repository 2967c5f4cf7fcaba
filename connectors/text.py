"""Reply text for channels that show plain text (SMS, Telegram without a parse mode)."""

import re

MARKDOWN_LINK = re.compile(r"\[([^\]\n]+)\]\(((?:https?|mailto|tel):[^)\s]+)\)")


def plain_links(text: str) -> str:
    """`[book a consultation online](https://...)` -> `book a consultation online: https://...`

    The apps make the bare address clickable; the Markdown brackets would show as typed.
    """
    return MARKDOWN_LINK.sub(r"\1: \2", text)
