"""Where a training step's time goes, by native library: Linux ``perf`` samples of the steady state.

cProfile sees Python functions but not what happens inside one numpy call; this tool samples the
whole process and sorts the samples into the GEMM kernels (OpenBLAS for numpy, MKL for torch), the
rest of numpy, oneDNN's JIT kernels, the rest of torch's C++ library, the Python interpreter and libc
(memset/memmove, malloc). Only the timed steps are sampled: perf starts disabled and the workload
turns it on after its warm-up (``--control`` fifos), so imports, model building and interpreter exit
are not counted.

    python -m benchmarks.breakdown W1_mlp                 # minitorch and torch, 8 s each (needs perf)
    python -m benchmarks.breakdown lstm --seconds 4 --lib minitorch

A category's milliseconds are its share of the samples times the measured ms per step (perf itself
slows a step by a few percent). The GEMM row answers the question the speed targets raise: the time
numpy's BLAS alone needs against the whole torch step. With both libraries measured, the last line gives
that quotient, the *GEMM floor*: no change outside the GEMMs can bring the minitorch / PyTorch ratio under
it. The header names the BLAS kernel that ran and the OpenBLAS variables of the environment, so that
``OPENBLAS_CORETYPE=Haswell python -m benchmarks.breakdown lstm`` shows a forced kernel's floor.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

_RUN = """
import os, sys, time
from benchmarks.timing import threads
from benchmarks.workloads import build
import minitorch, torch
lib = torch if sys.argv[2] == "torch" else minitorch
with threads(1):
    step = build(sys.argv[1], lib)
    for _ in range(30):
        step()
    ctl, ack = os.open(sys.argv[4], os.O_WRONLY), os.open(sys.argv[5], os.O_RDONLY)
    os.write(ctl, b"enable\\n"); os.read(ack, 5)
    start, n = time.perf_counter(), 0
    while time.perf_counter() - start < float(sys.argv[3]):
        step()
        n += 1
    elapsed = time.perf_counter() - start
    os.write(ctl, b"disable\\n"); os.read(ack, 5)
print(elapsed / n * 1e3)
"""

CATEGORIES = ("GEMM", "numpy", "oneDNN", "torch other", "Python", "libc", "other")
_LINE = re.compile(r"\s*([\d.]+)%\s+(.+?)\s+\[.\]\s+(.*)")


def category(dso: str, symbol: str) -> str:
    """The category of one sampled (shared object, symbol) pair."""
    if "openblas" in dso or symbol.startswith("mkl_blas"):
        return "GEMM"
    if "_multiarray_umath" in dso:
        return "numpy"
    if "dnnl" in symbol or "jit" in dso.lower():
        return "oneDNN"
    if "libtorch" in dso or "libc10" in dso or symbol.startswith("mkl_"):
        return "torch other"
    if "libpython" in dso:
        return "Python"
    if dso.startswith("libc.") or dso.startswith("libc-"):
        return "libc"
    return "other"


def shares(report: str) -> dict:
    """Percent of the samples per category, from ``perf report --sort dso,sym --stdio`` text."""
    out = dict.fromkeys(CATEGORIES, 0.0)
    for line in report.splitlines():
        m = _LINE.match(line)
        if m:
            out[category(m.group(2), m.group(3))] += float(m.group(1))
    total = sum(out.values())
    return {k: v * 100 / total for k, v in out.items()} if total else out


def measure(name: str, lib: str, seconds: float) -> tuple:
    """(ms per step, category shares in percent) of workload ``name`` in ``lib`` under perf."""
    with tempfile.TemporaryDirectory() as tmp:
        ctl, ack, data = (os.path.join(tmp, f) for f in ("ctl", "ack", "perf.data"))
        os.mkfifo(ctl)
        os.mkfifo(ack)
        run = subprocess.run(
            ["perf", "record", "-q", "-F", "1000", "-D", "-1", f"--control=fifo:{ctl},{ack}", "-o", data, "--",
             sys.executable, "-c", _RUN, name, lib, str(seconds), ctl, ack],
            capture_output=True, text=True, check=True,
        )
        report = subprocess.run(["perf", "report", "-i", data, "--no-children", "-g", "none", "--sort", "dso,sym",
                                 "--stdio"], capture_output=True, text=True, check=True).stdout
    return float(run.stdout.split()[-1]), shares(report)


def gemm_floor(minitorch_ms: float, minitorch_shares: dict, torch_ms: float) -> float:
    """The ratio minitorch / PyTorch if everything but numpy's GEMMs took no time: GEMM ms / torch step ms."""
    return minitorch_shares["GEMM"] * minitorch_ms / 100 / torch_ms


def environment() -> str:
    """The BLAS kernel numpy runs in this environment and the OpenBLAS variables that chose it."""
    from benchmarks.report import BLAS_ENV, blas_kernel

    names = ", ".join(f"{k}={os.environ[k]}" for k in BLAS_ENV if k in os.environ) or "no OpenBLAS variables set"
    return f"BLAS kernel {blas_kernel()} ({names})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workload", help="a name from benchmarks.workloads (e.g. W1_mlp)")
    parser.add_argument("--seconds", type=float, default=8.0, help="timed steps per library, in seconds")
    parser.add_argument("--lib", choices=("minitorch", "torch", "both"), default="both")
    args = parser.parse_args()
    if shutil.which("perf") is None:
        sys.exit("benchmarks.breakdown needs Linux perf on PATH")
    libs = ("minitorch", "torch") if args.lib == "both" else (args.lib,)
    print(f"{args.workload}: ms per step by category (percent of samples); {environment()}")
    results = {}
    for lib in libs:
        ms, pct = results[lib] = measure(args.workload, lib, args.seconds)
        parts = "  ".join(f"{k} {pct[k] * ms / 100:.2f} ({pct[k]:.0f}%)" for k in CATEGORIES if pct[k] >= 0.5)
        print(f"  {lib:9s} {ms:7.3f} ms   {parts}")
    if len(results) == 2:
        floor = gemm_floor(*results["minitorch"], results["torch"][0])
        print(f"  GEMM floor of the ratio: {floor:.2f} (numpy's GEMMs alone against the whole PyTorch step)")


if __name__ == "__main__":
    main()
