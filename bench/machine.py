"""What machine and software a benchmark ran on."""

import os
import platform
import subprocess
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Dict, Optional

PACKAGES = ("rasa", "rasa-sdk", "tensorflow", "spacy", "scikit-learn")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> Optional[float]:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _version(package: str) -> Optional[str]:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _git_commit(project: Path) -> Optional[str]:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=project, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "config.yml", "domain.yml", "data"],
            cwd=project,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return commit + (" (config/domain/data changed since)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return None


def load_average() -> Optional[str]:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return None


def describe(project: Path) -> Dict[str, object]:
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "versions": {package: _version(package) for package in PACKAGES},
        "git_commit": _git_commit(project),
        "load_average_start": load_average(),
    }


def as_text(info: Dict[str, object]) -> str:
    versions = ", ".join(f"{name} {version}" for name, version in info["versions"].items() if version)
    return (
        f"Ran {info['date']} on {info['cpu']}, {info['cores']} cores, {info['memory_gib']} GiB RAM, "
        f"{info['os']}; Python {info['python']}, {versions}; commit {info['git_commit']}. "
        f"Load average (1/5/15 min) {info['load_average_start']} at the start, "
        f"{info.get('load_average_end')} at the end."
    )
