"""The glibc allocator tuning that keeps conv buffers from being unmapped every step."""
import platform

import pytest

from minitorch import _allocator


@pytest.mark.skipif(platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc only")
def test_tune_succeeds_on_glibc():
    assert _allocator.tune() is True


def test_opt_out(monkeypatch):
    monkeypatch.setenv("MINITORCH_MALLOPT", "0")
    assert _allocator.tune() is False
