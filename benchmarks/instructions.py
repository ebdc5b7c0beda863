"""CPU instructions per step of a workload, counted by valgrind's callgrind: a deterministic measure.

On a shared machine a wall-clock time moves by 20% or more from one minute to the next; the number
of instructions a step executes does not (with a fixed hash seed), so a change that saves 2% of the
per-op Python overhead shows as 2% here and can be judged before the timed benchmarks confirm it.
Instructions are not time (a cache miss costs more than an add), so the speed claims stay with
``make bench``; this is the tool for the optimisation loop in between.

    python -m benchmarks.instructions W4_tiny              # minitorch (needs valgrind on PATH)
    python -m benchmarks.instructions W4_tiny --steps 500

The workload runs ``warm`` steps and then ``steps`` more, in two processes (``warm`` and
``warm + steps`` steps); the difference of their totals over ``steps`` is the cost of one step,
free of the import and set-up cost.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys

_RUN = """
import sys
from benchmarks.timing import threads
from benchmarks.workloads import build
import minitorch
with threads(1):
    step = build(sys.argv[1], minitorch)
    for _ in range(int(sys.argv[2])):
        step()
"""


def _total(name: str, steps: int) -> int:
    """Instructions of one process that builds ``name`` and runs ``steps`` steps."""
    env = dict(os.environ, PYTHONHASHSEED="0", OPENBLAS_NUM_THREADS="1")
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", _RUN,
         name, str(steps)],
        capture_output=True, text=True, env=env, check=True,
    )
    match = re.search(r"Collected : (\d+)", out.stderr)
    if match is None:
        raise RuntimeError(f"callgrind printed no total:\n{out.stderr[-2000:]}")
    return int(match.group(1))


def per_step(name: str, steps: int = 1000, warm: int = 200) -> float:
    """Instructions of one step of workload ``name`` in minitorch."""
    return (_total(name, warm + steps) - _total(name, warm)) / steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workload", help="a name from benchmarks.workloads (e.g. W4_tiny)")
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--warm", type=int, default=200)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (apt install valgrind)")
    print(f"{args.workload}: {per_step(args.workload, args.steps, args.warm):,.0f} instructions per step")


if __name__ == "__main__":
    main()
