"""The report's two BLAS environments (the subprocess runs without ``BLAS_ENV``, the markdown names both kernels)
and its runs (each a fresh process, the median and range over them)."""
import json
import subprocess

from benchmarks import report


def test_unset_environment_runs_without_the_blas_variables(monkeypatch):
    monkeypatch.setenv("OPENBLAS_CORETYPE", "Haswell")
    monkeypatch.setenv("OPENBLAS_L2_SIZE", "512")
    seen = {}

    def fake_run(cmd, env, cwd, stdout, text, check):
        seen.update(cmd=cmd, env=env)
        payload = {"variables": {k: env.get(k) for k in report.BLAS_ENV}, "blas_kernel": "SkylakeX", "models": {}}
        return subprocess.CompletedProcess(cmd, 0, stdout=json.dumps(payload))

    monkeypatch.setattr(report.subprocess, "run", fake_run)
    res = report.environment_subprocess(["W4_tiny"], 3, unset=True)
    assert not any(k in seen["env"] for k in report.BLAS_ENV)
    assert seen["cmd"][-5:] == ["--environment-only", "--rounds", "3", "--workloads", "W4_tiny"]
    assert res["variables"] == {"OPENBLAS_CORETYPE": None, "OPENBLAS_L2_SIZE": None}


def test_markdown_names_each_environment_and_its_kernel():
    row = {"minitorch_ms": 2.0, "torch_ms": 4.0, "ratio": 0.5}
    envs = {"as set": {"variables": {"OPENBLAS_CORETYPE": "Haswell", "OPENBLAS_L2_SIZE": "512"},
                       "blas_kernel": "Haswell", "models": {"W1_mlp": row}},
            "unset": {"variables": {"OPENBLAS_CORETYPE": None, "OPENBLAS_L2_SIZE": None},
                      "blas_kernel": "SkylakeX", "models": {"W1_mlp": dict(row, ratio=0.25)}}}
    text = "\n".join(report._environments_table({"environments": envs}))
    assert "OPENBLAS_CORETYPE=Haswell" in text and "OPENBLAS_CORETYPE unset" in text
    assert "| W1_mlp | 2.000 / 4.000 / 0.50 | 2.000 / 4.000 / 0.25 |" in text
    assert "as set (Haswell)" in text and "unset (SkylakeX)" in text


def test_runs_alternate_the_environments_in_fresh_processes_and_report_median_and_range(monkeypatch):
    monkeypatch.setenv("OPENBLAS_CORETYPE", "Haswell")
    calls = []
    ratios = iter([0.9, 0.5, 0.7, 0.4, 0.8, 0.6])  # as set, unset, as set, unset, ...

    def fake_subprocess(names, rounds, unset):
        calls.append(unset)
        r = next(ratios)
        return {"variables": {"OPENBLAS_CORETYPE": None if unset else "Haswell"},
                "blas_kernel": "SkylakeX" if unset else "Haswell",
                "models": {"W4_tiny": {"minitorch_ms": r, "torch_ms": 1.0, "ratio": r}}}

    monkeypatch.setattr(report, "environment_subprocess", fake_subprocess)
    res = report.run(3, quick=True, names=["W4_tiny"], runs=3)
    assert calls == [False, True] * 3
    as_set, unset = res["environments"]["as set"]["models"]["W4_tiny"], res["environments"]["unset"]["models"]["W4_tiny"]
    assert as_set["ratio"] == 0.8 and as_set["ratio_range"] == [0.7, 0.9] and as_set["ratios"] == [0.9, 0.7, 0.8]
    assert unset["ratio"] == 0.5 and unset["ratio_range"] == [0.4, 0.6]
    assert res["models"]["W4_tiny"] is as_set
    assert "| W4_tiny | 0.800 / 1.000 / 0.80 (0.70-0.90) | 0.500 / 1.000 / 0.50 (0.40-0.60) |" in \
        "\n".join(report._environments_table(res))


def test_a_machine_that_sets_neither_variable_gets_one_environment_line():
    row = {"minitorch_ms": 2.0, "torch_ms": 4.0, "ratio": 0.5}
    env = {"variables": {k: None for k in report.BLAS_ENV}, "blas_kernel": "SkylakeX", "models": {"W1_mlp": row}}
    text = "\n".join(report._environments_table({"environments": {"as set": env, "unset": env}}))
    assert "sets none of OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE" in text and "**SkylakeX**" in text
    assert "| W1_mlp |" not in text


def test_breakdown_sorts_perf_samples_into_categories():
    from benchmarks import breakdown

    text = """# Overhead  Shared Object  Symbol
    40.00%  libscipy_openblas64_-32a4b2a6.so  [.] sgemm_kernel_SKYLAKEX
    10.00%  libtorch_cpu.so  [.] mkl_blas_avx512_sgemm_kernel_0
    20.00%  _multiarray_umath.cpython-311-x86_64-linux-gnu.so  [.] FLOAT_multiply_X86_V3
    15.00%  libpython3.11.so.1.0  [.] _PyEval_EvalFrameDefault
     5.00%  libc.so.6  [.] __memmove_avx512_unaligned_erms
     5.00%  libtorch_cpu.so  [.] at::native::add_kernel
     5.00%  [JIT] tid 123  [.] 0x00007f
"""
    pct = breakdown.shares(text)
    assert pct["GEMM"] == 50.0 and pct["numpy"] == 20.0 and pct["Python"] == 15.0
    assert pct["libc"] == 5.0 and pct["torch other"] == 5.0 and pct["oneDNN"] == 5.0
    assert abs(sum(pct.values()) - 100) < 1e-9


def test_breakdown_gemm_floor_is_numpy_gemm_time_over_the_torch_step():
    from benchmarks import breakdown

    shares = dict.fromkeys(breakdown.CATEGORIES, 0.0)
    shares.update(GEMM=60.0, numpy=40.0)
    assert breakdown.gemm_floor(10.0, shares, 8.0) == 0.75  # 6 ms of GEMM against an 8 ms torch step


def test_breakdown_header_names_the_kernel_and_the_forced_variables(monkeypatch):
    from benchmarks import breakdown, report

    monkeypatch.setattr(report, "blas_kernel", lambda: "Haswell")
    monkeypatch.setenv("OPENBLAS_CORETYPE", "Haswell")
    monkeypatch.delenv("OPENBLAS_L2_SIZE", raising=False)
    assert breakdown.environment() == "BLAS kernel Haswell (OPENBLAS_CORETYPE=Haswell)"
    monkeypatch.delenv("OPENBLAS_CORETYPE")
    assert breakdown.environment() == "BLAS kernel Haswell (no OpenBLAS variables set)"
