"""Every example test runs in a temporary working directory (MNIST-1D stays cached in the repo's
runs/data) with both frameworks on one CPU thread, as they are compared in the benchmarks."""
import os

import pytest
import torch

from examples.harness import data

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="module", autouse=True)
def _one_thread():
    from threadpoolctl import threadpool_limits

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    with threadpool_limits(limits=1):
        yield
    torch.set_num_threads(before)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "CACHE", os.path.join(ROOT, "runs", "data"))
    monkeypatch.chdir(tmp_path)
