"""``minitorch.masked``: torch.masked's reductions and normalizations of a strided tensor under a boolean
``mask`` (masked-out elements take no part: they are replaced by the operation's identity first)."""
from minitorch.masked._ops import (
    amax, amin, argmax, argmin, cumprod, cumsum, log_softmax, logaddexp, logsumexp, mean, median, norm, normalize,
    prod, softmax, softmin, std, sum, var,
)

__all__ = [
    "amax", "amin", "argmax", "argmin", "cumprod", "cumsum", "log_softmax", "logaddexp", "logsumexp", "mean",
    "median", "norm", "normalize", "prod", "softmax", "softmin", "std", "sum", "var",
]
