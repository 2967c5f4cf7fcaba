"""`make shell`: chat with the running assistant in a terminal (Rasa's console).

    python scripts/shell.py --url http://127.0.0.1:5006

It talks to the server's REST channel, the one visitors' messages go through, so staff
see what visitors get: questions split, limits, the apology when a store is down. Rasa's
own `rasa shell` uses a channel of its own that has none of that.
"""

import argparse
import asyncio
import os
import sys
import uuid
import warnings
from pathlib import Path
from typing import List, Optional

sys.path.insert(1, str(Path(__file__).resolve().parents[1]))


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the Rasa server, e.g. http://127.0.0.1:5006")
    args = parser.parse_args(argv)
    # Rasa's imports warn about its own dependencies (SQLAlchemy's through its own switch).
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import aiohttp
        from rasa.core.channels.console import record_messages

        from connectors.apology import TURN_TIME_LIMIT

    sender_id = f"shell-{uuid.uuid4().hex}"
    while True:
        try:
            # Rasa's console gives up after 10 s; a turn may take up to the turn limit.
            asyncio.run(
                record_messages(
                    sender_id=sender_id, server_url=args.url.rstrip("/"), request_timeout=int(TURN_TIME_LIMIT) + 15
                )
            )
            return 0
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            print(f"The assistant did not answer ({type(error).__name__}: {error}). Please type your message again.")


if __name__ == "__main__":
    sys.exit(main())
