"""Rotate nginx's access log by size while nginx runs (the scale-out profile's nginx is
started by scripts/run_cluster.sh, not by the system, so no logrotate looks after it).

    python scripts/rotate_log.py --log .cluster/nginx/access.log --pid 1234 \
        [--max-bytes 10485760] [--keep 5] [--every 60] [--once]

Every `--every` seconds, while process `--pid` runs: once the log has reached
`--max-bytes`, it becomes LOG.1 (LOG.1 becomes LOG.2, ...; only `--keep` old files stay)
and nginx is told to reopen its logs (SIGUSR1). The access log holds client addresses:
what is rotated away is gone after `--keep` rotations.
"""

import argparse
import os
import signal
import sys
import time
from pathlib import Path
from typing import List, Optional


def rotate(log: Path, keep: int) -> None:
    """LOG -> LOG.1 -> LOG.2 ... ; the oldest beyond `keep` is deleted."""
    oldest = log.with_name(f"{log.name}.{keep}")
    if oldest.exists():
        oldest.unlink()
    for number in range(keep - 1, 0, -1):
        older = log.with_name(f"{log.name}.{number}")
        if older.exists():
            older.rename(log.with_name(f"{log.name}.{number + 1}"))
    log.rename(log.with_name(f"{log.name}.1"))


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's: nginx's master as root seen from a user
        return True
    return True


def check(log: Path, pid: int, max_bytes: int, keep: int) -> bool:
    """Rotate if the log is full; True if it was."""
    if not log.exists() or log.stat().st_size < max_bytes:
        return False
    rotate(log, keep)
    os.kill(pid, signal.SIGUSR1)  # nginx reopens its log files
    return True


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--log", type=Path, required=True)
    parser.add_argument("--pid", type=int, required=True, help="nginx's master process")
    parser.add_argument("--max-bytes", type=int, default=10 * 1024 * 1024)
    parser.add_argument("--keep", type=int, default=5, help="old files kept (default 5)")
    parser.add_argument("--every", type=float, default=60, help="seconds between checks (default 60)")
    parser.add_argument("--once", action="store_true", help="check once and exit")
    args = parser.parse_args(argv)
    if args.max_bytes < 1 or args.keep < 1 or args.every <= 0:
        parser.error("--max-bytes, --keep and --every must be more than 0")
    while running(args.pid):
        try:
            check(args.log, args.pid, args.max_bytes, args.keep)
        except OSError as error:  # tried again at the next check; nginx goes on logging
            print(f"Could not rotate {args.log}: {error}", file=sys.stderr)
        if args.once:
            break
        time.sleep(args.every)
    return 0


if __name__ == "__main__":
    sys.exit(main())
