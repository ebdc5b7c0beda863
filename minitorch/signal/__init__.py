"""``minitorch.signal``: torch.signal's window functions (``minitorch.signal.windows``)."""
from minitorch.signal import windows

__all__ = ["windows"]
