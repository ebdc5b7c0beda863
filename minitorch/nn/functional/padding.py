"""``pad``: constant padding by one op, reflect / replicate / circular padding by index maps."""
from __future__ import annotations

from typing import Any

import numpy as np

from minitorch.ops.padding import ConstantPadNd, pad_regions
from minitorch._tensor import Tensor


def _source_index(mode: str, size: int, before: int, after: int) -> np.ndarray:
    """For each padded position, the input position it copies along one dim (a circular pad wraps
    around what is left after cropping by negative pads, as torch)."""
    j = np.arange(-before, size + after)
    if mode == "reflect":
        return np.where(j < 0, -j, np.where(j >= size, 2 * (size - 1) - j, j))
    if mode == "replicate":
        return np.clip(j, 0, size - 1)
    lo, hi = max(-before, 0), size - max(-after, 0)
    return lo + (j - lo) % (hi - lo)


def pad(input: Tensor, pad: Any, mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad (before, after) pairs from the last dim backwards: constant (negative pads crop), reflect,
    replicate or circular."""
    pad = tuple(int(p) for p in pad)
    if len(pad) % 2:
        raise RuntimeError("pad: Padding length must be divisible by 2")
    if len(pad) // 2 > input.ndim:
        raise RuntimeError(
            f"pad: Padding length should be less than or equal to two times the input dimension but got padding "
            f"length {len(pad)} and input of dimension {input.ndim}"
        )
    if mode == "constant":
        shape, src, _ = pad_regions(tuple(input.shape), pad)
        if any(s < 0 for s in shape) or any(sl.start > sl.stop for sl in src if sl.start is not None):
            raise RuntimeError(f"pad: padding {list(pad)} crops more than the size of input {list(input.shape)}")
        return ConstantPadNd.apply(input, pad, 0 if value is None else value)
    if mode not in ("reflect", "replicate", "circular"):
        raise NotImplementedError(f"pad: Unrecognised padding mode {mode}")
    if value is not None and value != 0:
        raise RuntimeError(f'pad: Padding mode "{mode}" doesn\'t take in value argument')
    nd = len(pad) // 2
    if nd not in (1, 2, 3) or input.ndim not in (nd + 1, nd + 2):
        raise NotImplementedError(
            f"pad: Padding size {len(pad)} is not supported for {input.ndim}D input tensor (non-constant modes pad "
            "the last 1, 2 or 3 dims of an input with 1 or 2 more dims)"
        )
    x = input
    for i in range(nd):
        d = input.ndim - 1 - i
        before, after, size = pad[2 * i], pad[2 * i + 1], input.shape[d]
        if mode == "reflect" and (before >= size or after >= size):
            raise RuntimeError(
                f"pad: Padding size should be less than the corresponding input dimension, but got: padding "
                f"({before}, {after}) at dimension {d} of input {list(input.shape)}"
            )
        if mode == "circular" and (before > size or after > size):
            raise RuntimeError(f"pad: Padding value causes wrapping around more than once: padding ({before}, {after}) "
                               f"at dimension {d} of input {list(input.shape)}")
        if size - max(-before, 0) - max(-after, 0) <= 0:
            raise RuntimeError(
                f"pad: cannot {mode}-pad dimension {d} of input {list(input.shape)} by ({before}, {after})"
            )
        x = x.index_select(d, Tensor._make(_source_index(mode, size, before, after)))
    return x
