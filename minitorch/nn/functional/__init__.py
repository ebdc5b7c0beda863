"""Functional forms of the layers and losses (``minitorch.nn.functional``, imported as ``F``).

One file per section of torch's ``nn.functional`` reference: each holds its functions' argument checks
and calls the ops of ``minitorch.ops``. The private helpers re-exported here are the ones ``nn.modules`` call
as ``F._name``, as torch's modules do.
"""
from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from minitorch._tensor import Tensor
from minitorch.nn.functional.activation import (
    elu, gelu, hardtanh, leaky_relu, log_softmax, relu, relu6, sigmoid, silu, softmax, softplus, tanh,
)
from minitorch.nn.functional.attention import (
    _canonical_mask, _none_or_dtype, multi_head_attention_forward, scaled_dot_product_attention,
)
from minitorch.nn.functional.conv import (
    conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d, fold, unfold,
)
from minitorch.nn.functional.dropout_functions import dropout, dropout1d, dropout2d
from minitorch.nn.functional.interpolation import interpolate, upsample, upsample_bilinear, upsample_nearest
from minitorch.nn.functional.linear_functions import linear
from minitorch.nn.functional.loss import (
    _legacy_reduction, binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, huber_loss, kl_div, l1_loss, mse_loss,
    nll_loss, smooth_l1_loss,
)
from minitorch.nn.functional.normalization import batch_norm, group_norm, layer_norm, normalize
from minitorch.nn.functional.padding import pad
from minitorch.nn.functional.pooling import (
    adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d, adaptive_max_pool1d, adaptive_max_pool2d,
    adaptive_max_pool3d, avg_pool1d, avg_pool2d, avg_pool3d, fractional_max_pool2d, fractional_max_pool3d, lp_pool1d,
    lp_pool2d, lp_pool3d, max_pool1d, max_pool2d, max_pool3d, max_unpool1d, max_unpool2d, max_unpool3d,
)
from minitorch.nn.functional.sparse import embedding, one_hot
from minitorch.nn.functional.vision import (
    affine_grid, channel_shuffle, grid_sample, pixel_shuffle, pixel_unshuffle,
)
