"""``pad``: constant padding by one op, reflect / replicate / circular padding by index maps."""
from __future__ import annotations

from typing import Any

import numpy as np

from minitorch.ops.padding import ConstantPadNd, pad_regions
from minitorch._tensor import Tensor


def _source_index(mode: str, size: int, before: int, after: int) -> np.ndarray:
    """For each padded position, the input position it copies along one dim: the reflection or the clip of
    its position in the input, whatever negative pads crop (so a pad can crop a whole side and repeat the
    other edge), and for a circular pad the wrap around what is left after cropping, as torch."""
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
    for i in range(nd):
        d = input.ndim - 1 - i
        before, after, size = pad[2 * i], pad[2 * i + 1], input.shape[d]
        if mode == "reflect" and (before >= size or after >= size):
            raise RuntimeError(
                f"Argument #{4 + 2 * i}: Padding size should be less than the corresponding input dimension, but got: "
                f"padding ({before}, {after}) at dimension {d} of input {list(input.shape)}"
            )
        if mode == "circular" and (before > size or after > size):
            raise RuntimeError(f"pad: Padding value causes wrapping around more than once: padding ({before}, {after}) "
                               f"at dimension {d} of input {list(input.shape)}")
        if mode == "circular" and size - max(-before, 0) - max(-after, 0) <= 0:
            raise RuntimeError(
                f"pad: cannot circular-pad dimension {d} of input {list(input.shape)} by ({before}, {after})"
            )
    _check_output_size(mode, input, pad, nd)
    x = input
    for i in range(nd):
        d = input.ndim - 1 - i
        x = x.index_select(d, Tensor._make(_source_index(mode, input.shape[d], pad[2 * i], pad[2 * i + 1])))
    return x


def _check_output_size(mode: str, input: Tensor, pad: tuple, nd: int) -> None:
    """torch's errors for a reflect / replicate pad whose negative pads leave no output (a reflect pad of
    2 or 3 dims may leave an empty one)."""
    if mode == "circular":
        return
    names = "DHW"[3 - nd:]
    ins = input.shape[input.ndim - nd:]
    outs = [n + pad[2 * (nd - 1 - j)] + pad[2 * (nd - 1 - j) + 1] for j, n in enumerate(ins)]
    if nd == 1 and outs[0] < 1:
        raise RuntimeError(f"input (W: {ins[0]}) is too small. Calculated output W: {outs[0]}")
    if mode == "replicate" and min(outs) < 1:
        raise RuntimeError(f"Calculated output {' '.join(f'{a}: {o}' for a, o in zip(names, outs))} must be >= 1 in "
                           f"every dimension (input {', '.join(f'{a}: {n}' for a, n in zip(names, ins))})")
    if min(outs) < 0:
        raise RuntimeError(f"pad: negative output size {outs} for input {list(input.shape)} and padding {list(pad)}")
