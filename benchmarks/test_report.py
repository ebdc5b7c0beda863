"""The report's two BLAS environments: the subprocess runs without ``BLAS_ENV``, the markdown names both kernels."""
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
    res = report.environment_unset(["W4_tiny"], 3)
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
