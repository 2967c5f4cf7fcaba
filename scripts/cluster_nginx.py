"""Write the nginx configuration of the scale-out profile from deploy/nginx.conf.template.

    python scripts/cluster_nginx.py --prefix .cluster/nginx --listen 127.0.0.1:5005 \
        --server 127.0.0.1:5011 --server 127.0.0.1:5012

Writes PREFIX/nginx.conf (and creates PREFIX) and prints its path. Run nginx with
`nginx -p PREFIX -c nginx.conf -g 'daemon off;'`.
"""

import argparse
import sys
from pathlib import Path
from typing import List, Optional

TEMPLATE = Path(__file__).resolve().parents[1] / "deploy" / "nginx.conf.template"


def render(prefix: Path, listen: str, servers: List[str]) -> str:
    prefix = prefix.resolve()
    lines = "\n".join(f"        server {server} max_fails=1 fail_timeout=10s;" for server in servers)
    text = TEMPLATE.read_text()
    return text.replace("@PREFIX@", str(prefix)).replace("@LISTEN@", listen).replace("@SERVERS@", lines)


def write(prefix: Path, listen: str, servers: List[str]) -> Path:
    prefix.mkdir(parents=True, exist_ok=True)
    path = prefix / "nginx.conf"
    path.write_text(render(prefix, listen, servers))
    return path.resolve()


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prefix", type=Path, required=True)
    parser.add_argument("--listen", required=True, help="address:port nginx listens on")
    parser.add_argument("--server", action="append", required=True, help="a Rasa server's address:port")
    args = parser.parse_args(argv)
    print(write(args.prefix, args.listen, args.server))
    return 0


if __name__ == "__main__":
    sys.exit(main())
