"""``minitorch.backends.cuda``: CUDA's matmul switches, settable and without effect (no CUDA)."""
from __future__ import annotations


class _MatmulSettings:
    """``backends.cuda.matmul``: ``allow_tf32`` and the reduced-precision reduction flags."""

    def __init__(self) -> None:
        self.allow_tf32 = False
        self.allow_fp16_reduced_precision_reduction = True
        self.allow_bf16_reduced_precision_reduction = True


matmul = _MatmulSettings()


def is_built() -> bool:
    return False
