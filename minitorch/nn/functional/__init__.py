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
    celu, celu_, elu, elu_, gelu, glu, hardshrink, hardsigmoid, hardswish, hardtanh, hardtanh_, leaky_relu,
    leaky_relu_, log_softmax, logsigmoid, mish, prelu, relu, relu_, relu6, rrelu, rrelu_, selu, selu_, sigmoid, silu,
    softmax, softmin, softplus, softshrink, softsign, tanh, tanhshrink, threshold, threshold_,
)
from minitorch.nn.functional.attention import (
    _canonical_mask, _none_or_dtype, multi_head_attention_forward, scaled_dot_product_attention,
)
from minitorch.nn.functional.conv import (
    conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d, fold, unfold,
)
from minitorch.nn.functional.dropout_functions import (
    alpha_dropout, dropout, dropout1d, dropout2d, dropout3d, feature_alpha_dropout,
)
from minitorch.nn.functional.interpolation import interpolate, upsample, upsample_bilinear, upsample_nearest
from minitorch.nn.functional.linear_functions import bilinear, linear
from minitorch.nn.functional.loss import (
    _legacy_reduction, binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, huber_loss, kl_div, l1_loss, mse_loss,
    nll_loss, smooth_l1_loss,
)
from minitorch.nn.functional.distance import cosine_similarity, pairwise_distance, pdist
from minitorch.nn.functional.loss_margin import (
    cosine_embedding_loss, ctc_loss, gaussian_nll_loss, hinge_embedding_loss, margin_ranking_loss, multi_margin_loss,
    multilabel_margin_loss, multilabel_soft_margin_loss, poisson_nll_loss, soft_margin_loss, triplet_margin_loss,
    triplet_margin_with_distance_loss,
)
from minitorch.nn.functional.normalization import (
    batch_norm, group_norm, instance_norm, layer_norm, local_response_norm, normalize, rms_norm,
)
from minitorch.nn.functional.padding import pad
from minitorch.nn.functional.pooling import (
    adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d, adaptive_max_pool1d, adaptive_max_pool2d,
    adaptive_max_pool3d, avg_pool1d, avg_pool2d, avg_pool3d, fractional_max_pool2d, fractional_max_pool3d, lp_pool1d,
    lp_pool2d, lp_pool3d, max_pool1d, max_pool2d, max_pool3d, max_unpool1d, max_unpool2d, max_unpool3d,
)
from minitorch.nn.functional.sparse import embedding, embedding_bag, one_hot
from minitorch.nn.functional.vision import (
    affine_grid, channel_shuffle, grid_sample, pixel_shuffle, pixel_unshuffle,
)
from minitorch.nn.functional.loss_linear import linear_cross_entropy  # noqa: E402
