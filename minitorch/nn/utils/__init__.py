"""Utilities for modules and parameters (``torch.nn.utils``): gradient clipping, parameter vectors, packed
sequences (``rnn``), weight / spectral normalisation and parametrizations."""
from minitorch.nn.utils.clip_grad import clip_grad_norm_, clip_grad_value_, clip_grads_with_norm_, get_total_norm
from minitorch.nn.utils.convert_parameters import parameters_to_vector, vector_to_parameters
from minitorch.nn.utils import parametrizations, parametrize, rnn
from minitorch.nn.utils._spectral_norm import remove_spectral_norm, spectral_norm
from minitorch.nn.utils._weight_norm import remove_weight_norm, weight_norm

__all__ = [
    "clip_grad_norm_", "clip_grad_value_", "clip_grads_with_norm_", "get_total_norm", "parameters_to_vector",
    "vector_to_parameters", "parametrizations", "parametrize", "rnn", "remove_spectral_norm", "spectral_norm",
    "remove_weight_norm", "weight_norm",
]
