"""Shared test configuration: hypothesis profiles sized for CI (2 cores, minutes not hours), and the
engine oracle that checks every backward of every test against the reference engine."""
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=25, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.register_profile(
    "thorough", max_examples=300, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _seed():
    """Every test starts from the same random state in both frameworks."""
    import minitorch
    import torch

    np.random.seed(0)
    minitorch.manual_seed(0)
    torch.manual_seed(0)
    yield


@pytest.fixture(autouse=True)
def _engine_oracle(monkeypatch):
    """Every backward in a test is checked against the reference engine (tests/engine_oracle.py)."""
    import minitorch.autograd
    from minitorch.autograd import engine
    from tests import engine_oracle

    for module in (engine, minitorch.autograd):
        monkeypatch.setattr(module, "backward", engine_oracle.checked_backward)
        monkeypatch.setattr(module, "grad", engine_oracle.checked_grad)
    yield


def pytest_terminal_summary(terminalreporter):
    from tests import engine_oracle

    stats = engine_oracle.STATS
    terminalreporter.write_line(
        f"engine oracle: {stats['checked']} backward/grad calls checked against the reference engine, "
        f"{stats['skipped']} not checked (hooks, or rejected before running)"
    )
