#!/usr/bin/env bash
# Print the OpenBLAS kernel family this CPU can run (SkylakeX, Haswell), or nothing.
# numpy 1.23's OpenBLAS (0.3.20) does not know some recent Intel CPUs (Emerald Rapids
# Xeons, recent Core) and falls back to its slowest kernels, "Prescott"
# (OpenMathLib/OpenBLAS#4267); the Makefile passes this as OPENBLAS_CORETYPE. On CPUs it
# does know, the family named here has the same single-precision kernels as the one it
# picks (its Cooper Lake and Zen families reuse SkylakeX's and Haswell's).
# Printing nothing leaves OpenBLAS to detect the CPU itself.
set -u
flags=$(grep -m1 '^flags' "${1:-/proc/cpuinfo}" 2>/dev/null) || exit 0
has() {
  for flag in "$@"; do
    [[ " $flags " == *" $flag "* ]] || return 1
  done
}
if has avx512f avx512cd avx512bw avx512dq avx512vl; then
  echo SkylakeX
elif has avx2 fma; then
  echo Haswell
fi
