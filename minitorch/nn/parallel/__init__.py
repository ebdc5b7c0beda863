"""``minitorch.nn.parallel``: torch's data-parallel wrappers for a framework with one device and one process."""
from minitorch.nn.parallel.data_parallel import DataParallel
from minitorch.nn.parallel.distributed import DistributedDataParallel

__all__ = ["DataParallel", "DistributedDataParallel"]
