"""``minitorch.backends``: torch's backend switches, as a CPU-only build has them. They can be read and set
(``backends.cudnn.benchmark = True`` is a common first line of a training script) and change nothing,
since every kernel is numpy's."""
from minitorch.backends import cuda, cudnn, mps

__all__ = ["cuda", "cudnn", "mps"]
