"""``python -m benchmarks.report``: run every comparison and write the report.

Writes ``benchmarks/results/<date>.json`` (all numbers and the machine), ``benchmarks/results/report.md``
(tables) and PNG plots (ratio bars per workload, log-log scaling curves). Headline numbers are at one
thread (torch's threads and numpy's BLAS threads both limited), interleaved, medians.

The model steps are timed twice: with the BLAS environment as this machine sets it, and in a
subprocess with ``BLAS_ENV`` (OpenBLAS's forced core type and L2 size) removed, as on a user's
machine where OpenBLAS picks its kernel itself. Each run names the BLAS kernel that ran
(threadpoolctl's ``architecture``).
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
from typing import Any

import numpy as np

from benchmarks import ops as op_suite
from benchmarks.timing import compare, threads
from benchmarks.workloads import HEADLINE, TARGETS, WORKLOADS, build

RESULTS = os.path.join(os.path.dirname(__file__), "results")
BLAS_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def machine() -> dict:
    """CPU, cores, BLAS and library versions of this machine."""
    import torch
    from threadpoolctl import threadpool_info

    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    blas = [f"{i['internal_api']} {i['version']} ({i.get('architecture', '?')})" for i in threadpool_info()
            if i["user_api"] == "blas"]
    return {
        "cpu": cpu, "cores": os.cpu_count(), "blas": ", ".join(blas), "python": platform.python_version(),
        "numpy": np.__version__, "torch": torch.__version__, "gpu": torch.cuda.get_device_name(0)
        if torch.cuda.is_available() else None,
    }


def blas_kernel() -> str:
    """The BLAS kernel(s) numpy runs here, e.g. ``Haswell`` (threadpoolctl's ``architecture``)."""
    from threadpoolctl import threadpool_info

    return ", ".join(i.get("architecture") or "?" for i in threadpool_info() if i["user_api"] == "blas")


def model_steps(names: list, rounds: int) -> dict:
    """Each named workload's minitorch and PyTorch step times at one thread (interleaved medians)."""
    out = {}
    with threads(1):
        for name in names:
            out[name] = _pair(lambda lib, n=name: build(n, lib), rounds)
            print(f"{name:10s} {out[name]['ratio']:.2f}", file=sys.stderr, flush=True)
    return out


def environment(names: list, rounds: int) -> dict:
    """The model steps in this process's environment, with its ``BLAS_ENV`` values and BLAS kernel."""
    return {"variables": {k: os.environ.get(k) for k in BLAS_ENV}, "blas_kernel": blas_kernel(),
            "models": model_steps(names, rounds)}


def environment_subprocess(names: list, rounds: int, unset: bool) -> dict:
    """``environment`` measured in a fresh process, with the ``BLAS_ENV`` variables removed when ``unset``."""
    env = {k: v for k, v in os.environ.items() if not (unset and k in BLAS_ENV)}
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    cmd = [sys.executable, "-m", "benchmarks.report", "--environment-only", "--rounds", str(rounds),
           "--workloads", *names]
    proc = subprocess.run(cmd, env=env, cwd=root, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(proc.stdout)


def over_runs(runs: list) -> dict:
    """One environment's model steps over several runs: per workload, the medians of the runs' times and
    ratios, the ratio's range (min, max) and every run's ratio."""
    models = {}
    for name in runs[0]["models"]:
        rs = [r["models"][name] for r in runs]
        ratios = [r["ratio"] for r in rs]
        models[name] = {"minitorch_ms": statistics.median(r["minitorch_ms"] for r in rs),
                        "torch_ms": statistics.median(r["torch_ms"] for r in rs),
                        "ratio": statistics.median(ratios), "ratio_range": [min(ratios), max(ratios)],
                        "ratios": ratios}
    return {"variables": runs[0]["variables"], "blas_kernel": runs[0]["blas_kernel"], "models": models,
            "runs": len(runs)}


def _pair(make: Any, rounds: int) -> dict:
    import minitorch
    import torch

    ours, theirs = make(minitorch), make(torch)
    t_m, t_t = compare(ours, theirs, rounds=rounds)
    return {"minitorch_ms": t_m * 1e3, "torch_ms": t_t * 1e3, "ratio": t_m / t_t}


def cuda_time(name: str, rounds: int) -> float | None:
    """ms per step of the torch workload on CUDA, when a GPU is present."""
    import torch

    if not torch.cuda.is_available():
        return None
    torch.set_default_device("cuda")
    try:
        step = build(name, torch)

        def synced() -> None:
            step()
            torch.cuda.synchronize()

        return compare(synced, synced, rounds=rounds)[0] * 1e3
    finally:
        torch.set_default_device("cpu")


def run(rounds: int, quick: bool, names: list | None = None, runs: int = 1) -> dict:
    """Every measurement of the report; ``names`` picks the workloads (default: all, or the headline if quick).

    ``environments`` holds the model steps as the machine is set and with ``BLAS_ENV`` unset
    (measured only when the machine sets one of them; otherwise the two are the same run);
    ``models`` is the first of them. With ``runs`` > 1 each environment is measured in that many fresh
    processes, alternating between the two, and each workload reports the median and range over the runs.
    """
    out: dict = {"date": datetime.date.today().isoformat(), "machine": machine(), "rounds": rounds, "runs": runs,
                 "models": {}, "models_default_threads": {}, "ops": {}, "sweeps": {}}
    names = list(names or (HEADLINE if quick else WORKLOADS))
    two = any(os.environ.get(k) is not None for k in BLAS_ENV)
    if runs > 1:
        measured: dict = {"as set": [], "unset": []}
        for i in range(runs):
            for label in ("as set", "unset") if two else ("as set",):
                measured[label].append(environment_subprocess(names, rounds, unset=label == "unset"))
                print(f"run {i + 1}/{runs} ({label}) done", file=sys.stderr, flush=True)
        as_set = over_runs(measured["as set"])
        out["environments"] = {"as set": as_set, "unset": over_runs(measured["unset"]) if two else as_set}
    else:
        as_set = environment(names, rounds)
        out["environments"] = {"as set": as_set,
                               "unset": environment_subprocess(names, rounds, unset=True) if two else as_set}
    out["models"] = as_set["models"]
    with threads(1):
        if not quick:
            peak = op_suite.gemm_peak()
            out["gemm_peak_gflops"] = peak
            for name, (make, flops) in op_suite.OPS.items():
                r = _pair(make, rounds)
                if flops:
                    r["minitorch_gflops"] = flops / r["minitorch_ms"] / 1e6
                    r["torch_gflops"] = flops / r["torch_ms"] / 1e6
                    r["minitorch_share_of_peak"] = r["minitorch_gflops"] / peak
                out["ops"][name] = r
            for name, (sizes, make, flops) in op_suite.SWEEPS.items():
                rows = []
                for s in sizes:
                    r = _pair(lambda lib, s=s: make(lib, s), max(3, rounds // 2))
                    r["size"] = s
                    r["minitorch_gflops"] = flops(s) / r["minitorch_ms"] / 1e6
                    r["torch_gflops"] = flops(s) / r["torch_ms"] / 1e6
                    r["minitorch_share_of_peak"] = r["minitorch_gflops"] / peak
                    rows.append(r)
                out["sweeps"][name] = rows
    if not quick:
        with threads(None):
            for name in HEADLINE:
                out["models_default_threads"][name] = _pair(lambda lib, n=name: build(n, lib), rounds)
        for name in HEADLINE:
            ms = cuda_time(name, rounds)
            if ms is not None:
                out["models"][name]["torch_cuda_ms"] = ms
    return out


def _plots(res: dict, prefix: str) -> list:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    paths = []
    names = list(res["models"])
    ratios = [res["models"][n]["ratio"] for n in names]
    fig, ax = plt.subplots(figsize=(8, 3.5))
    ax.bar(names, ratios, color=["tab:green" if r <= TARGETS.get(n, 1.0) else "tab:red" for n, r in zip(names, ratios)])
    for i, n in enumerate(names):
        if n in TARGETS:
            ax.hlines(TARGETS[n], i - 0.4, i + 0.4, colors="black", linestyles="dashed")
    ax.axhline(1.0, color="gray", lw=0.8)
    ax.set_ylabel("minitorch / PyTorch time (1 thread)")
    ax.set_title("Model steps: time ratio (lower is better; dashed = target)")
    plt.setp(ax.get_xticklabels(), rotation=20, ha="right")
    fig.tight_layout()
    paths.append(prefix + "ratios.png")
    fig.savefig(paths[-1], dpi=110)
    plt.close(fig)
    if res["sweeps"]:
        fig, axes = plt.subplots(1, len(res["sweeps"]), figsize=(4.2 * len(res["sweeps"]), 3.5))
        for ax, (name, rows) in zip(np.atleast_1d(axes), res["sweeps"].items()):
            sizes = [r["size"] for r in rows]
            ax.loglog(sizes, [r["minitorch_ms"] for r in rows], "o-", label="minitorch")
            ax.loglog(sizes, [r["torch_ms"] for r in rows], "s-", label="PyTorch")
            ax.set_title(name, fontsize=10)
            ax.set_xlabel("size")
            ax.set_ylabel("ms per step")
            ax.legend()
        fig.tight_layout()
        paths.append(prefix + "scaling.png")
        fig.savefig(paths[-1], dpi=110)
        plt.close(fig)
    return paths


def _ratio(r: dict) -> str:
    """A ratio, with its range over the runs when there were several."""
    lo_hi = r.get("ratio_range")
    return f"{r['ratio']:.2f} ({lo_hi[0]:.2f}-{lo_hi[1]:.2f})" if lo_hi else f"{r['ratio']:.2f}"


def _environments_table(res: dict) -> list:
    """Markdown lines: the model-step ratios in each BLAS environment, naming its variables and kernel."""
    envs = res.get("environments") or {}
    if not envs:
        return []
    lines = ["", "## The two BLAS environments (model steps, one thread)", ""]
    if not any(v is not None for e in envs.values() for v in e["variables"].values()):
        return lines + [f"This machine sets none of {', '.join(BLAS_ENV)}: the one environment is a user's, BLAS "
                        f"kernel **{next(iter(envs.values()))['blas_kernel']}**."]
    for label, e in envs.items():
        values = ", ".join(f"{k}={v}" if v is not None else f"{k} unset" for k, v in e["variables"].items())
        lines.append(f"- {label}: {values}; BLAS kernel **{e['blas_kernel']}**")
    lines += ["", "| workload | " + " | ".join(f"{label} ({e['blas_kernel']}) ms / PyTorch ms / ratio"
                                                for label, e in envs.items()) + " |",
              "|---|" + "---:|" * len(envs)]
    for name in next(iter(envs.values()))["models"]:
        cells = []
        for e in envs.values():
            r = e["models"].get(name)
            cells.append(f"{r['minitorch_ms']:.3f} / {r['torch_ms']:.3f} / {_ratio(r)}" if r else "")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def markdown(res: dict, plots: list) -> str:
    m = res["machine"]
    lines = [f"# minitorch vs PyTorch — {res['date']}", "",
             f"Machine: {m['cpu']}, {m['cores']} cores; BLAS {m['blas']}; Python {m['python']}, numpy {m['numpy']}, "
             f"torch {m['torch']}" + (f"; GPU {m['gpu']}" if m["gpu"] else "; no GPU") + ".", "",
             "Command: `make bench` (or `python -m benchmarks.report`). Times are medians of interleaved rounds, "
             "one thread for both frameworks" + (f"; model steps: the median over {res['runs']} runs (fresh processes), "
                                                 "the ratio's range in brackets" if res.get("runs", 1) > 1 else "")
             + ".", "",
             "## Model steps (zero_grad + forward + loss + backward + optimiser step)", "",
             "| workload | minitorch ms | PyTorch ms | ratio | target |" + (" PyTorch CUDA ms |" if m["gpu"] else ""),
             "|---|---:|---:|---:|---:|" + ("---:|" if m["gpu"] else "")]
    for name, r in res["models"].items():
        target = f"≤ {TARGETS[name]}" if name in TARGETS else ""
        cuda = f" {r['torch_cuda_ms']:.3f} |" if m["gpu"] and "torch_cuda_ms" in r else (" |" if m["gpu"] else "")
        lines.append(f"| {name} | {r['minitorch_ms']:.3f} | {r['torch_ms']:.3f} | {_ratio(r)} | {target} |{cuda}")
    lines += _environments_table(res)
    if res["models_default_threads"]:
        lines += ["", f"At the machine's default threads ({m['cores']} cores):", "",
                  "| workload | minitorch ms | PyTorch ms | ratio |", "|---|---:|---:|---:|"]
        for name, r in res["models_default_threads"].items():
            lines.append(f"| {name} | {r['minitorch_ms']:.3f} | {r['torch_ms']:.3f} | {r['ratio']:.2f} |")
    if res["ops"]:
        lines += ["", f"## Ops (numpy float32 GEMM peak here: {res['gemm_peak_gflops']:.1f} GFLOP/s)", "",
                  "| op | minitorch ms | PyTorch ms | ratio | minitorch GFLOP/s | share of GEMM peak |",
                  "|---|---:|---:|---:|---:|---:|"]
        for name, r in res["ops"].items():
            gf = f"{r['minitorch_gflops']:.1f}" if "minitorch_gflops" in r else ""
            share = f"{100 * r['minitorch_share_of_peak']:.0f}%" if "minitorch_share_of_peak" in r else ""
            lines.append(f"| {name} | {r['minitorch_ms']:.3f} | {r['torch_ms']:.3f} | {r['ratio']:.2f} | {gf} | {share} |")
    for name, rows in res["sweeps"].items():
        lines += ["", f"### {name}", "", "| size | minitorch ms | PyTorch ms | ratio | minitorch GFLOP/s | share of peak |",
                  "|---:|---:|---:|---:|---:|---:|"]
        for r in rows:
            lines.append(f"| {r['size']} | {r['minitorch_ms']:.3f} | {r['torch_ms']:.3f} | {r['ratio']:.2f} | "
                         f"{r['minitorch_gflops']:.1f} | {100 * r['minitorch_share_of_peak']:.0f}% |")
    lines += [""] + [f"![{os.path.basename(p)}]({os.path.basename(p)})" for p in plots]
    return "\n".join(lines) + "\n"


def main(argv: list | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--rounds", type=int, default=9)
    p.add_argument("--quick", action="store_true", help="only the four headline workloads")
    p.add_argument("--runs", type=int, default=1,
                   help="measure the model steps in this many fresh processes per environment (median and range)")
    p.add_argument("--workloads", nargs="+", choices=sorted(WORKLOADS), help="time only these model steps")
    p.add_argument("--environment-only", action="store_true",
                   help="print only the model steps in this environment as JSON (the unset-BLAS subprocess)")
    p.add_argument("--out", default=RESULTS)
    args = p.parse_args(argv)
    if args.environment_only:
        print(json.dumps(environment(list(args.workloads or HEADLINE), args.rounds)))
        return 0
    os.makedirs(args.out, exist_ok=True)
    res = run(args.rounds, args.quick, args.workloads, args.runs)
    prefix = os.path.join(args.out, "")
    with open(os.path.join(args.out, f"{res['date']}.json"), "w") as f:
        json.dump(res, f, indent=2)
    plots = _plots(res, prefix)
    with open(os.path.join(args.out, "report.md"), "w") as f:
        f.write(markdown(res, plots))
    print(markdown(res, plots))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
