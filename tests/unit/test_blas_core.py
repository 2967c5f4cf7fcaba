"""scripts/blas_core.sh and the Makefile: numpy's OpenBLAS runs kernels the CPU allows,
not the slowest ones it falls back to on CPUs it does not know."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness.project import PROJECT

SCRIPT = PROJECT / "scripts" / "blas_core.sh"
# Some of the flags of an Intel Xeon with AVX-512, as /proc/cpuinfo lists them
AVX512 = "fpu sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 avx512f avx512dq avx512cd avx512bw avx512vl"
# What make does with it, as a rule added to the Makefile (read from stdin: GNU make
# 3.81, macOS's, has no --eval)
PRINT_RULE = 'blas-core-of-make: ; @echo "$${OPENBLAS_CORETYPE:-}"\n'


def run_script(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(SCRIPT), *arguments], capture_output=True, text=True, timeout=10)


def core_for(tmp_path: Path, flags: str) -> str:
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(f"processor\t: 0\nmodel name\t: Some CPU\nflags\t\t: {flags}\n\nprocessor\t: 1\n")
    result = run_script(str(cpuinfo))
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(
    "flags, core",
    [
        (AVX512, "SkylakeX"),
        ("fpu sse sse2 fma avx avx2 avx512f", "Haswell"),  # AVX-512 without its BW/DQ/VL parts
        ("fpu sse sse2 fma avx avx2", "Haswell"),
        ("fpu sse sse2 avx avx2", ""),  # no FMA: OpenBLAS decides
        ("fpu sse sse2 sse3", ""),
        ("fpu sse sse2 avx avx2 avx512fma", ""),  # flags are matched whole: no "fma" here
    ],
)
def test_the_kernel_family_follows_the_cpu_flags(tmp_path, flags, core):
    assert core_for(tmp_path, flags) == core


def test_no_cpu_information_prints_nothing(tmp_path):
    result = run_script(str(tmp_path / "missing"))
    assert (result.returncode, result.stdout) == (0, "")


def make_environment(callers: str = "") -> str:
    """OPENBLAS_CORETYPE as the Makefile hands it to every command it runs."""
    environment = {key: value for key, value in os.environ.items() if key != "OPENBLAS_CORETYPE"}
    if callers:
        environment["OPENBLAS_CORETYPE"] = callers
    result = subprocess.run(
        ["make", "-s", "--no-print-directory", "-f", "Makefile", "-f", "-", "blas-core-of-make"],
        input=PRINT_RULE,
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return result.stdout.strip()


def test_make_passes_the_cpus_kernel_family_and_keeps_the_callers():
    assert make_environment() == run_script().stdout.strip()
    assert make_environment("Sandybridge") == "Sandybridge"  # a family the script never names


@pytest.mark.skipif(not Path("/proc/cpuinfo").exists(), reason="needs Linux's /proc/cpuinfo")
def test_openblas_runs_the_kernel_family_make_names():
    core = make_environment()
    if not core:
        pytest.skip("a CPU without AVX2 and FMA: OpenBLAS's own choice is kept")
    # numpy's and scipy's own copies of OpenBLAS; the products fail if the CPU cannot run them
    program = (
        "import numpy, scipy.linalg, threadpoolctl\n"
        "a = numpy.ones((256, 256), dtype=numpy.float32)\n"
        "assert (a @ a)[0, 0] == 256 and scipy.linalg.blas.sgemm(1.0, a, a)[0, 0] == 256\n"
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
    families = result.stdout.split()
    assert len(families) == 2 and {family.lower() for family in families} == {core.lower()}, families
