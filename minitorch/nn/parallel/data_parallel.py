"""``DataParallel``: with no GPUs torch's wrapper runs its module as is; so does minitorch's."""
from __future__ import annotations

from typing import Any, Sequence

from minitorch.nn.modules.module import Module


class DataParallel(Module):
    """``DataParallel(module, device_ids=None, output_device=None, dim=0)``.

    On a machine without GPUs (minitorch's only kind) torch keeps the module as ``self.module`` and calls it
    directly; the wrapper still shows in the state_dict as torch's does (keys ``module.<name>``), so files
    move between the two unchanged."""

    def __init__(self, module: Module, device_ids: Sequence[Any] | None = None, output_device: Any = None,
                 dim: int = 0):
        super().__init__()
        if device_ids:
            raise AssertionError("Torch not compiled with CUDA enabled (minitorch computes on the CPU, with numpy)")
        self.module, self.dim = module, dim
        self.device_ids: list = []
        self.output_device = None

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        return self.module(*inputs, **kwargs)
