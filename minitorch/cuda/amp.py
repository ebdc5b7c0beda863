"""``minitorch.cuda.amp``: torch's deprecated spellings of ``minitorch.amp`` for device ``'cuda'``."""
from __future__ import annotations

from typing import Any

from minitorch import amp as _amp


class autocast(_amp.autocast):
    """``torch.cuda.amp.autocast(...)`` is ``torch.amp.autocast('cuda', ...)`` (disabled here: no CUDA)."""

    def __init__(self, enabled: bool = True, dtype: Any = None, cache_enabled: bool = True):
        super().__init__("cuda", dtype=dtype, enabled=enabled, cache_enabled=cache_enabled)


class GradScaler(_amp.GradScaler):
    """``torch.cuda.amp.GradScaler(...)`` is ``torch.amp.GradScaler('cuda', ...)`` (disabled here: no CUDA)."""

    def __init__(self, init_scale: float = 2.0**16, growth_factor: float = 2.0, backoff_factor: float = 0.5,
                 growth_interval: int = 2000, enabled: bool = True):
        super().__init__("cuda", init_scale, growth_factor, backoff_factor, growth_interval, enabled)
