"""Write the nginx configuration of the scale-out profile from deploy/nginx.conf.template.

    python scripts/cluster_nginx.py --prefix .cluster/nginx --listen 127.0.0.1:5005 \
        --server 127.0.0.1:5011 --server 127.0.0.1:5012 [--per-address 120]

Writes PREFIX/nginx.conf (and creates PREFIX) and prints its path. Run nginx with
`nginx -p PREFIX -c nginx.conf -g 'daemon off;'`.
"""

import argparse
import sys
from pathlib import Path
from typing import List, Optional

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(1, str(PROJECT))

from connectors.limits import DEFAULT_PER_ADDRESS  # noqa: E402  (after the path)

TEMPLATE = PROJECT / "deploy" / "nginx.conf.template"


def render(prefix: Path, listen: str, servers: List[str], per_address: int = DEFAULT_PER_ADDRESS) -> str:
    """per_address: REST messages a minute per client address (0: no limit)."""
    prefix = prefix.resolve()
    lines = "\n".join(f"        server {server} max_fails=1 fail_timeout=10s;" for server in servers)
    if per_address > 0:
        zone = (
            f"    limit_req_zone $binary_remote_addr zone=messages:10m rate={per_address}r/m;\n"
            "    limit_req_status 429;"
        )
        # nginx lets 1 + burst through at once; connectors/limits.py a third of a minute's.
        limit = f"            limit_req zone=messages burst={max(0, per_address // 3 - 1)} nodelay;"
    else:
        zone = limit = "    # (no limit: --per-address 0)"
    text = TEMPLATE.read_text()
    for placeholder, value in {
        "@PREFIX@": str(prefix),
        "@LISTEN@": listen,
        "@SERVERS@": lines,
        "@LIMIT_ZONE@": zone,
        "@LIMIT_REQ@": limit,
    }.items():
        text = text.replace(placeholder, value)
    return text


def write(prefix: Path, listen: str, servers: List[str], per_address: int = DEFAULT_PER_ADDRESS) -> Path:
    prefix.mkdir(parents=True, exist_ok=True)
    path = prefix / "nginx.conf"
    path.write_text(render(prefix, listen, servers, per_address))
    return path.resolve()


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prefix", type=Path, required=True)
    parser.add_argument("--listen", required=True, help="address:port nginx listens on")
    parser.add_argument("--server", action="append", required=True, help="a Rasa server's address:port")
    parser.add_argument(
        "--per-address",
        type=int,
        default=DEFAULT_PER_ADDRESS,
        help=f"REST messages a minute per client address, 0 for no limit (default {DEFAULT_PER_ADDRESS})",
    )
    args = parser.parse_args(argv)
    if args.per_address < 0:
        parser.error("--per-address must be 0 (no limit) or more")
    print(write(args.prefix, args.listen, args.server, args.per_address))
    return 0


if __name__ == "__main__":
    sys.exit(main())
