"""`make shell`: chat with the running assistant in a terminal (Rasa's console).

    python scripts/shell.py --url http://127.0.0.1:5006

It talks to the server's REST channel, the one visitors' messages go through, so staff
see what visitors get: questions split, limits, the apology when a store is down. Rasa's
own `rasa shell` uses a channel of its own that has none of that.
"""

import argparse
import asyncio
import sys
import uuid
import warnings
from typing import List, Optional


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the Rasa server, e.g. http://127.0.0.1:5006")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # Rasa's imports warn about its own dependencies
    from rasa.core.channels.console import record_messages

    asyncio.run(record_messages(sender_id=f"shell-{uuid.uuid4().hex}", server_url=args.url.rstrip("/")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
