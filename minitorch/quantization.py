"""Quantization (``torch.quantization`` / ``torch.ao.quantization``): not in minitorch, and saying why.

minitorch computes in float16/32/64 and the integer dtypes with numpy; it has no quantized dtypes or
kernels. The quantizing functions raise one RuntimeError that says so, and any other name of the
quantization namespaces raises an AttributeError with the same explanation instead of a bare miss.
"""
from __future__ import annotations

from typing import Any, NoReturn

_WHY = ("minitorch has no quantized tensors or kernels (it computes in float and integer numpy dtypes); "
        "train and run the model in float32, or quantize it with torch after moving the state_dict across")


def _no_quantization(what: str) -> NoReturn:
    raise RuntimeError(f"{what}: {_WHY}")


def quantize_per_tensor(input: Any, scale: Any, zero_point: Any, dtype: Any) -> NoReturn:
    _no_quantization("quantize_per_tensor")


def quantize_per_channel(input: Any, scales: Any, zero_points: Any, axis: int, dtype: Any) -> NoReturn:
    _no_quantization("quantize_per_channel")


def quantize_dynamic(model: Any, qconfig_spec: Any = None, dtype: Any = None, **kwargs: Any) -> NoReturn:
    _no_quantization("quantize_dynamic")


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(f"minitorch.quantization has no attribute {name!r}: {_WHY}")
