"""The classification data the examples train on, as float32/int64 numpy arrays.

``load(name, data_dir)`` gives ``{"x", "y", "x_test", "y_test"}`` in each set's natural shape:
MNIST-1D ``(N, 40)``, scikit-learn digits ``(N, 8, 8)``, MNIST ``(N, 28, 28)`` (normalised with
MNIST's mean 0.1307 and std 0.3081, read by torchvision from ``--data-dir``).
"""
from __future__ import annotations

import numpy as np

from examples import data

NAMES = ("mnist1d", "digits", "mnist")


def load(name: str, data_dir: str | None = None) -> dict:
    """The train and test arrays of data set ``name`` (``mnist`` needs ``data_dir``)."""
    if name == "mnist1d":
        d = data.mnist1d()
    elif name == "digits":
        d = data.digits()
    elif name == "mnist":
        if not data_dir:
            raise SystemExit("--dataset mnist needs --data-dir DIR holding torchvision's MNIST (MNIST/raw/*-ubyte)")
        d = {}
        for split, suffix in ((True, ""), (False, "_test")):
            ds = data.mnist(data_dir, train=split)
            d["x" + suffix] = (ds.data.numpy().astype(np.float32) / 255.0 - 0.1307) / 0.3081
            d["y" + suffix] = ds.targets.numpy()
    else:
        raise ValueError(f"unknown data set {name!r}; choose from {NAMES}")
    return {k: np.asarray(v, np.float32 if k.startswith("x") else np.int64) for k, v in d.items()}


def flat(d: dict) -> dict:
    """Every sample flattened to a vector (for MLPs)."""
    return {k: v.reshape(len(v), -1) if k.startswith("x") else v for k, v in d.items()}


def images(d: dict) -> dict:
    """Every 2-D sample given a channel axis, ``(N, 1, H, W)`` (for CNNs).

    ``reshape`` rather than ``v[:, None]``: the new axis then gets an ordinary stride, so PyTorch
    does not read the batch as channels-last (where ``.view(N, -1)`` after a conv would fail).
    """
    return {k: v.reshape(len(v), 1, *v.shape[1:]) if k.startswith("x") else v for k, v in d.items()}
