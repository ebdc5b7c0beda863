"""``DistributedDataParallel``: needs a process group, which minitorch (one process) never has."""
from __future__ import annotations

from typing import Any

from minitorch.nn.modules.module import Module


class DistributedDataParallel(Module):
    """``DistributedDataParallel(module, device_ids=None, ...)``: raises torch's error for a missing process
    group, since ``minitorch.distributed.init_process_group`` cannot make one. Use the PyTorch twins in
    ``reference/`` with torchrun for multi-process training."""

    def __init__(self, module: Module, device_ids: Any = None, output_device: Any = None, dim: int = 0,
                 broadcast_buffers: bool = True, process_group: Any = None, bucket_cap_mb: Any = None,
                 find_unused_parameters: bool = False, check_reduction: bool = False,
                 gradient_as_bucket_view: bool = False, static_graph: bool = False, **kwargs: Any):
        raise ValueError("Default process group has not been initialized, please make sure to call "
                         "init_process_group.")
