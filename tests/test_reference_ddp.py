"""``reference/train.py``: one process on the CPU, and ``torchrun --nproc_per_node=2`` (gloo backend).

Under torchrun two processes train the sentiment LSTM on different shards of the data (``DistributedSampler``);
DistributedDataParallel averages their gradients, so both must end with bit-identical weights that
differ from the starting ones. Skipped only when this machine cannot start a process group.
"""
import json
import math
import os
import socket
import subprocess
import sys

import pytest
import torch
import torch.distributed as dist

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CANNOT_START = ("RendezvousConnectionError", "RendezvousTimeoutError", "EADDRINUSE", "Address already in use",
                "Connection refused", "gloo is not available", "Network is unreachable")


def can_listen_on_localhost() -> bool:
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
        return True
    except OSError:
        return False


@pytest.mark.skipif(not dist.is_available() or not dist.is_gloo_available(), reason="torch.distributed/gloo missing")
@pytest.mark.skipif(not can_listen_on_localhost(), reason="no localhost networking for the rendezvous")
def test_two_processes_end_with_identical_weights(tmp_path):
    env = {**os.environ, "PYTHONPATH": ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""), "OMP_NUM_THREADS": "1"}
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
           "-m", "reference.train", "sentiment", "--steps", "6", "--warmup", "1", "--log-every", "3",
           "--batch-size", "32", "--device", "cpu", "--threads", "1",
           "--save", str(tmp_path / "weights"), "--results", str(tmp_path)]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    output = proc.stdout + proc.stderr
    if proc.returncode != 0 and any(s in output for s in CANNOT_START):
        pytest.skip(f"torchrun could not start its processes:\n{output[-2000:]}")
    assert proc.returncode == 0, output[-4000:]
    assert "sentiment on cpu, 2 process(es)" in proc.stdout

    rank0 = torch.load(tmp_path / "weights" / "rank0.pt")["model"]
    rank1 = torch.load(tmp_path / "weights" / "rank1.pt")["model"]
    assert rank0.keys() == rank1.keys()
    for name in rank0:
        assert torch.equal(rank0[name], rank1[name]), f"{name} differs between the ranks"

    from reference import sentiment

    torch.manual_seed(0)  # the starting weights, as reference.train builds them with --seed 0
    start = sentiment.SentimentClassifier(len(rank0["embedding.weight"])).state_dict()
    assert all(not torch.equal(start[name], rank0[name]) for name in ("fc.weight", "lstm.weight_hh_l0"))


@pytest.mark.parametrize("task, extra", [("vae", ["--amp"]), ("dcgan", []), ("tagger", ["--clip-grad-norm", "1.0"])])
def test_reference_trains_on_the_cpu(task, extra, tmp_path, capsys):
    from reference import train

    argv = [task, "--steps", "4", "--warmup", "1", "--log-every", "2", "--batch-size", "16", "--device", "cpu",
            "--results", str(tmp_path), "--save", str(tmp_path / "weights"), *extra]
    assert train.main(argv) == 0
    (path,) = tmp_path.glob(f"{task}_cpu*.json")
    result = json.loads(path.read_text())
    assert result["world_size"] == 1 and result["ms_per_step"] > 0 and math.isfinite(result["final_loss"])
    assert result["amp"] == ("--amp" in extra) and result["channels_last"] is False
    saved = torch.load(tmp_path / "weights" / "rank0.pt")
    assert set(saved) == ({"generator", "discriminator"} if task == "dcgan" else {"model"})
    assert f"{task} on cpu" in capsys.readouterr().out
