"""Fetch the chat widget (npm package rasa-webchat) into web/vendor/, checked and patched.

`npm pack` downloads only the package tarball (no dependencies, nothing installed),
whose lib/index.js is a self-contained browser bundle. This script checks the tarball
against the pinned integrity hash, takes that bundle and its licence, and applies
two small patches, each of which must match exactly once:

- the bundle's CSS imports the Inter font from fonts.googleapis.com: removed, so a
  visitor's browser talks only to the clinic's own servers (the widget then uses the
  page's fonts);
- bot messages are rendered with react-markdown with its link sanitiser switched off
  (`transformLinkUri:null`): removed, so a link in a bot reply can only be http(s),
  mailto or tel, never `javascript:`.

The page loads the result from this machine; nothing comes from a CDN at run time.
Run by `make` (target web/vendor/rasa-webchat.js); safe to run again.
"""

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "rasa-webchat"
VERSION = "1.0.1"
# From the npm registry (`npm view rasa-webchat@1.0.1 dist.integrity`).
INTEGRITY = "sha512-Ld1zVJvTAaTrs6A5p8t70agNNrKYRyXlvqXZRgBoDvKKUXbA0jhJKECi5bdPGlaR6jsmqWtVylHS+YqIqo0x8w=="

PATCHES = [
    (
        "web font from fonts.googleapis.com",
        b"@import url(https://fonts.googleapis.com/css?family=Inter:400,500,700&display=swap);",
        b"",
        11,
    ),
    ("link sanitiser switched off", b"transformLinkUri:null,", b"", 1),
]

PROJECT = Path(__file__).resolve().parents[1]
VENDOR = PROJECT / "web" / "vendor"
BUNDLE = VENDOR / "rasa-webchat.js"


def fail(message: str) -> None:
    print(f"fetch_webchat: {message}", file=sys.stderr)
    sys.exit(1)


def npm_pack(destination: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        fail("npm is missing; install Node.js and npm (Debian: apt-get install nodejs npm)")
    result = subprocess.run(
        [npm, "pack", f"{PACKAGE}@{VERSION}", "--json", "--silent", "--pack-destination", str(destination)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        fail(f"`npm pack {PACKAGE}@{VERSION}` failed:\n{result.stderr.strip()}")
    filename = json.loads(result.stdout)[0]["filename"]
    return destination / filename


def check_integrity(tarball: Path) -> None:
    algorithm, expected = INTEGRITY.split("-", 1)
    digest = base64.b64encode(hashlib.new(algorithm, tarball.read_bytes()).digest()).decode()
    if digest != expected:
        fail(f"{tarball.name}: integrity {algorithm}-{digest} is not the pinned {INTEGRITY}")


def patch(bundle: bytes) -> bytes:
    for what, old, new, count in PATCHES:
        found = bundle.count(old)
        if found != count:
            fail(f"patch '{what}': expected {count} match(es) in lib/index.js, found {found}")
        bundle = bundle.replace(old, new)
    return bundle


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tarball = npm_pack(Path(tmp))
        check_integrity(tarball)
        with tarfile.open(tarball) as archive:
            bundle = archive.extractfile("package/lib/index.js").read()
            licence = archive.extractfile("package/LICENSE").read()
    VENDOR.mkdir(parents=True, exist_ok=True)
    (VENDOR / "rasa-webchat.LICENSE").write_bytes(licence)
    partial = BUNDLE.with_suffix(".partial")
    partial.write_bytes(
        f"/* {PACKAGE} {VERSION} (Apache-2.0, see rasa-webchat.LICENSE), lib/index.js "
        "patched by scripts/fetch_webchat.py */\n".encode() + patch(bundle)
    )
    partial.replace(BUNDLE)
    print(f"{BUNDLE.relative_to(PROJECT)}: {PACKAGE} {VERSION}, checked and patched")


if __name__ == "__main__":
    main()
