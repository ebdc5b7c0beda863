"""``torch.ao``: minitorch's answer is its quantization module (none of it runs; see minitorch/quantization.py)."""
from minitorch import quantization

__all__ = ["quantization"]
