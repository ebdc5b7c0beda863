"""The PyTorch twin of ``examples/gpt.py``: the same GPT code built on torch, plus device selection.

``GPT`` here is ``model_class(torch)``: one definition serves both frameworks, so the twin cannot
drift from the minitorch model. ``GPT.from_huggingface`` / ``from_pretrained`` and ``generate`` work
the same; ``pick_device`` chooses where torch runs.
"""
from __future__ import annotations

import torch

from examples.gpt import GPTConfig, KVCache, model_class

GPT = model_class(torch)

__all__ = ["GPT", "GPTConfig", "KVCache", "pick_device"]


def pick_device(name: str = "auto") -> torch.device:
    """``auto``: CUDA if available, else Apple's MPS, else the CPU; any other name is passed to torch."""
    if name != "auto":
        return torch.device(name)
    if torch.cuda.is_available():
        return torch.device("cuda")
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")
