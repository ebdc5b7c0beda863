"""Pooling layers: max, average, adaptive and power-average pools in 1-D, 2-D and 3-D, and max unpooling
(torch's arguments, defaults and repr)."""
from __future__ import annotations

from typing import Any

from minitorch.nn import functional as F
from minitorch.nn.functional import pooling as _pool
from minitorch.nn.modules.conv import _ntuple, layer_name
from minitorch.nn.modules.module import Module
from minitorch._tensor import Tensor


class _MaxPoolNd(Module):
    """Max over sliding windows; stride defaults to kernel_size."""

    _nd = 2

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
                 return_indices: bool = False, ceil_mode: bool = False) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")

    def forward(self, input: Tensor) -> Any:
        return _pool.max_pool(layer_name(self), input, self.kernel_size, self.stride, self.padding, self.dilation,
                              self.ceil_mode, self.return_indices, self._nd)


class MaxPool1d(_MaxPoolNd):
    """The max of each window of (N, C, L) (padding counts as -inf); with return_indices also its position."""

    _nd = 1


class MaxPool2d(_MaxPoolNd):
    """The max of each window of (N, C, H, W); with return_indices also its flat position h * W + w."""


class MaxPool3d(_MaxPoolNd):
    """The max of each window of (N, C, D, H, W); with return_indices also its flat position (d * H + h) * W + w."""

    _nd = 3


class AvgPool1d(Module):
    """The mean of each window of (N, C, L) (zero padding counted unless count_include_pad=False)."""

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
                 count_include_pad: bool = True) -> None:
        super().__init__()
        self.kernel_size = _ntuple(kernel_size, 1)
        self.stride = _ntuple(stride if stride is not None else kernel_size, 1)
        self.padding = _ntuple(padding, 1)
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"

    def forward(self, input: Tensor) -> Tensor:
        return _pool.avg_pool(layer_name(self), input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                              self.count_include_pad, None, 1)


class AvgPool2d(Module):
    """The sum of each window of (N, C, H, W) divided by its size (or by divisor_override)."""

    _nd = 2

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
                 count_include_pad: bool = True, divisor_override: int | None = None) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding, self.ceil_mode = padding, ceil_mode
        self.count_include_pad, self.divisor_override = count_include_pad, divisor_override

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"

    def forward(self, input: Tensor) -> Tensor:
        return _pool.avg_pool(layer_name(self), input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                              self.count_include_pad, self.divisor_override, self._nd)


class AvgPool3d(AvgPool2d):
    """The sum of each window of (N, C, D, H, W) divided by its size (or by divisor_override)."""

    _nd = 3


class _AdaptivePoolNd(Module):
    """Pools over an output_size grid of windows [floor(i n / out), ceil((i + 1) n / out))."""

    def __init__(self, output_size: Any) -> None:
        super().__init__()
        self.output_size = output_size

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(_AdaptivePoolNd):
    """Means over output_size adaptive windows of (N, C, L)."""

    def forward(self, input: Tensor) -> Tensor:
        return _pool.adaptive_avg_pool(layer_name(self), input, self.output_size, 1)


class AdaptiveAvgPool2d(_AdaptivePoolNd):
    """Means over an output_size grid of adaptive windows of (N, C, H, W) (None keeps a dim's size)."""

    def forward(self, input: Tensor) -> Tensor:
        return _pool.adaptive_avg_pool(layer_name(self), input, self.output_size, 2)


class AdaptiveAvgPool3d(_AdaptivePoolNd):
    """Means over an output_size grid of adaptive windows of (N, C, D, H, W) (None keeps a dim's size)."""

    def forward(self, input: Tensor) -> Tensor:
        return _pool.adaptive_avg_pool(layer_name(self), input, self.output_size, 3)


class _AdaptiveMaxPoolNd(_AdaptivePoolNd):
    def __init__(self, output_size: Any, return_indices: bool = False) -> None:
        super().__init__(output_size)
        self.return_indices = return_indices


class AdaptiveMaxPool1d(_AdaptiveMaxPoolNd):
    """Maxima over output_size adaptive windows of (N, C, L); with return_indices also their positions."""

    def forward(self, input: Tensor) -> Any:
        return _pool.adaptive_max_pool(layer_name(self), input, self.output_size, self.return_indices, 1)


class AdaptiveMaxPool2d(_AdaptiveMaxPoolNd):
    """Maxima over an output_size grid of adaptive windows of (N, C, H, W); optionally their flat positions."""

    def forward(self, input: Tensor) -> Any:
        return _pool.adaptive_max_pool(layer_name(self), input, self.output_size, self.return_indices, 2)


class AdaptiveMaxPool3d(_AdaptiveMaxPoolNd):
    """Maxima over an output_size grid of adaptive windows of (N, C, D, H, W); optionally their flat positions."""

    def forward(self, input: Tensor) -> Any:
        return _pool.adaptive_max_pool(layer_name(self), input, self.output_size, self.return_indices, 3)


class _LPPoolNd(Module):
    """(sum of x^p over each window)^(1/p); stride defaults to kernel_size."""

    def __init__(self, norm_type: float, kernel_size: Any, stride: Any = None, ceil_mode: bool = False) -> None:
        super().__init__()
        self.norm_type, self.kernel_size, self.stride, self.ceil_mode = norm_type, kernel_size, stride, ceil_mode

    def extra_repr(self) -> str:
        return (f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, stride={self.stride}, "
                f"ceil_mode={self.ceil_mode}")


class LPPool1d(_LPPoolNd):
    """Power-average pooling over windows of (N, C, L)."""

    def forward(self, input: Tensor) -> Tensor:
        return F.lp_pool1d(input, float(self.norm_type), self.kernel_size, self.stride, self.ceil_mode)


class LPPool2d(_LPPoolNd):
    """Power-average pooling over windows of (N, C, H, W)."""

    def forward(self, input: Tensor) -> Tensor:
        return F.lp_pool2d(input, float(self.norm_type), self.kernel_size, self.stride, self.ceil_mode)


class LPPool3d(_LPPoolNd):
    """Power-average pooling over windows of (N, C, D, H, W)."""

    def forward(self, input: Tensor) -> Tensor:
        return F.lp_pool3d(input, float(self.norm_type), self.kernel_size, self.stride, self.ceil_mode)


class _MaxUnpoolNd(Module):
    """The partial inverse of a max pool: values placed at their pooled indices, zeros elsewhere."""

    _nd = 2

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0) -> None:
        super().__init__()
        self.kernel_size = _ntuple(kernel_size, self._nd)
        self.stride = _ntuple(stride if stride is not None else kernel_size, self._nd)
        self.padding = _ntuple(padding, self._nd)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"

    def forward(self, input: Tensor, indices: Tensor, output_size: Any = None) -> Tensor:
        return _pool.max_unpool(layer_name(self), input, indices, self.kernel_size, self.stride, self.padding,
                                output_size, self._nd)


class MaxUnpool1d(_MaxUnpoolNd):
    """The partial inverse of MaxPool1d on (N, C, L)."""

    _nd = 1


class MaxUnpool2d(_MaxUnpoolNd):
    """The partial inverse of MaxPool2d on (N, C, H, W)."""


class MaxUnpool3d(_MaxUnpoolNd):
    """The partial inverse of MaxPool3d on (N, C, D, H, W)."""

    _nd = 3


class _FractionalMaxPoolNd(Module):
    """Fractional max pooling: maxima over pseudo-random windows, to output_size or output_ratio of the input."""

    _nd = 2

    def __init__(self, kernel_size: Any, output_size: Any = None, output_ratio: Any = None,
                 return_indices: bool = False, _random_samples: Tensor | None = None) -> None:
        super().__init__()
        nd, name = self._nd, type(self).__name__
        self.kernel_size = _ntuple(kernel_size, nd)
        self.return_indices = return_indices
        self.register_buffer("_random_samples", _random_samples)
        self.output_size = _ntuple(output_size, nd) if output_size is not None else None
        self.output_ratio = _ntuple(output_ratio, nd) if output_ratio is not None else None
        if output_size is None and output_ratio is None:
            raise ValueError(f"{name} requires specifying either an output size, or a pooling ratio")
        if output_size is not None and output_ratio is not None:
            raise ValueError("only one of output_size and output_ratio may be specified")
        if self.output_ratio is not None and not all(0 < r < 1 for r in self.output_ratio):
            raise ValueError(f"output_ratio must be between 0 and 1 (got {output_ratio})")

    def forward(self, input: Tensor) -> Any:
        return _pool.fractional_max_pool(f"fractional_max_pool{self._nd}d", input, self.kernel_size,
                                         self.output_size, self.output_ratio, self.return_indices,
                                         self._random_samples, self._nd)


class FractionalMaxPool2d(_FractionalMaxPoolNd):
    """Fractional max pooling of (N, C, H, W)."""


class FractionalMaxPool3d(_FractionalMaxPoolNd):
    """Fractional max pooling of (N, C, T, H, W)."""

    _nd = 3
