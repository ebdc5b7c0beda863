"""The ``minitorch.nn.functional`` package: its import paths, its public names, and the floors it sits on."""
import ast
import inspect
import math
import pathlib
import typing
import warnings

import numpy as np
import pytest
import torch

import minitorch
import minitorch.nn.functional as F
from minitorch.nn import functional as F_from_nn

# Every public name of nn.functional when it was one file (its dir() without dunders and underscores).
FUNCTIONS = (
    "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_max_pool1d", "adaptive_max_pool2d", "avg_pool1d",
    "avg_pool2d", "batch_norm", "binary_cross_entropy", "binary_cross_entropy_with_logits", "conv1d", "conv2d",
    "conv_transpose1d", "conv_transpose2d", "cross_entropy", "dropout", "dropout1d", "dropout2d", "elu", "embedding",
    "fold", "gelu", "group_norm", "hardtanh", "huber_loss", "interpolate", "kl_div", "l1_loss", "layer_norm",
    "leaky_relu", "linear", "log_softmax", "lp_pool1d", "lp_pool2d", "max_pool1d", "max_pool2d", "mse_loss",
    "multi_head_attention_forward", "nll_loss", "normalize", "one_hot", "pad", "relu", "relu6",
    "scaled_dot_product_attention", "sigmoid", "silu", "smooth_l1_loss", "softmax", "softplus", "tanh", "unfold",
)
OTHER_NAMES = {"Any": typing.Any, "Tensor": minitorch.Tensor, "math": math, "np": np, "warnings": warnings}
PACKAGE = pathlib.Path(minitorch.__file__).parent


def test_both_import_paths_give_the_package():
    assert F is F_from_nn is minitorch.nn.functional
    assert pathlib.Path(F.__file__).name == "__init__.py"


def test_every_public_name_is_still_there():
    assert set(FUNCTIONS) | set(OTHER_NAMES) <= set(dir(F))
    for name, value in OTHER_NAMES.items():
        assert getattr(F, name) is value


@pytest.mark.parametrize("name", FUNCTIONS)
def test_public_name_is_a_documented_function_of_the_package(name):
    fn = getattr(F, name)
    assert inspect.isfunction(fn), f"F.{name} is {fn!r}"  # not the submodule of the same name (linear, dropout)
    assert fn.__module__.startswith("minitorch.nn.functional.")
    assert fn.__doc__


@pytest.mark.parametrize("name", FUNCTIONS)
def test_parameters_are_torchs(name):
    try:
        expected = list(inspect.signature(getattr(torch.nn.functional, name)).parameters)
    except ValueError:  # a builtin of torch's C++ core, without a Python signature
        pytest.skip(f"torch.nn.functional.{name} has no Python signature")
    if expected == ["args", "kwargs"]:  # torch's boolean dispatch wrappers (max pools with return_indices)
        pytest.skip(f"torch.nn.functional.{name} takes *args, **kwargs")
    assert list(inspect.signature(getattr(F, name)).parameters) == expected


def _imported_names(path: pathlib.Path) -> list:
    """The dotted name of everything ``path`` imports (``from a import b`` gives ``a.b``)."""
    nodes = list(ast.walk(ast.parse(path.read_text())))
    names = [f"{n.module}.{a.name}" for n in nodes if isinstance(n, ast.ImportFrom) and n.module for a in n.names]
    return names + [a.name for n in nodes if isinstance(n, ast.Import) for a in n.names]


@pytest.mark.parametrize("path", sorted((PACKAGE / "ops").glob("*.py")), ids=lambda p: p.name)
def test_ops_never_import_nn(path):
    assert not [m for m in _imported_names(path) if m.startswith("minitorch.nn")]
