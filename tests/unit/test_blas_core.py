"""scripts/blas_core.sh and the Makefile: numpy's OpenBLAS runs kernels the CPU allows,
not the slowest ones it falls back to on CPUs it does not know."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness.project import PROJECT

SCRIPT = PROJECT / "scripts" / "blas_core.sh"
# The flags line of /proc/cpuinfo on this project's machines (Intel Xeon, family 6, model 207)
AVX512 = "fpu sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 avx512f avx512dq avx512cd avx512bw avx512vl"


def core_for(tmp_path: Path, flags: str) -> str:
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(f"processor\t: 0\nmodel name\t: Some CPU\nflags\t\t: {flags}\n\nprocessor\t: 1\n")
    result = subprocess.run([str(SCRIPT), str(cpuinfo)], capture_output=True, text=True, timeout=10, check=True)
    return result.stdout.strip()


@pytest.mark.parametrize(
    "flags, core",
    [
        (AVX512, "SkylakeX"),
        ("fpu sse sse2 fma avx avx2 avx512f", "Haswell"),  # AVX-512 without its BW/DQ/VL parts
        ("fpu sse sse2 fma avx avx2", "Haswell"),
        ("fpu sse sse2 avx avx2", ""),  # no FMA: OpenBLAS decides
        ("fpu sse sse2 sse3", ""),
        ("fpu sse sse2 avx512fma", ""),  # words are matched whole
    ],
)
def test_the_kernel_family_follows_the_cpu_flags(tmp_path, flags, core):
    assert core_for(tmp_path, flags) == core


def test_no_cpu_information_prints_nothing(tmp_path):
    result = subprocess.run([str(SCRIPT), str(tmp_path / "missing")], capture_output=True, text=True, timeout=10)
    assert (result.returncode, result.stdout) == (0, "")


def make_environment(extra: str = "") -> str:
    """OPENBLAS_CORETYPE as the Makefile hands it to every command it runs."""
    result = subprocess.run(
        [
            "make",
            "-s",
            "--no-print-directory",
            "--eval",
            'blas-core-of-make: ; @echo "$${OPENBLAS_CORETYPE:-}"',
            "blas-core-of-make",
        ],
        cwd=PROJECT,
        env={key: value for key, value in os.environ.items() if key != "OPENBLAS_CORETYPE"}
        | ({"OPENBLAS_CORETYPE": extra} if extra else {}),
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return result.stdout.strip()


def test_make_passes_the_cpus_kernel_family_and_keeps_the_callers():
    assert make_environment() == subprocess.run([str(SCRIPT)], capture_output=True, text=True).stdout.strip()
    assert make_environment("Haswell") == "Haswell"


@pytest.mark.skipif(not Path("/proc/cpuinfo").exists(), reason="needs Linux's /proc/cpuinfo")
def test_openblas_runs_the_kernel_family_make_names():
    core = make_environment()
    if not core:
        pytest.skip("a CPU without AVX2 and FMA: OpenBLAS's own choice is kept")
    program = (
        "import numpy, threadpoolctl\n"
        "print(*[i['architecture'] for i in threadpoolctl.threadpool_info() if i['internal_api'] == 'openblas'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", program],
        env={**os.environ, "OPENBLAS_CORETYPE": core},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    # numpy's and scipy's own copies of OpenBLAS
    assert result.stdout.split() and {name.lower() for name in result.stdout.split()} == {core.lower()}
