"""What the example tests share: parsed options, a training function run on both sides, the twins' checks,
results read back from ``runs/<name>/results.json``, and MNIST written as IDX files."""
import json
import os
import struct

import numpy as np

from examples.harness import cli
from examples.harness.twin import max_relative_difference, sides

AGREE = 1e-4  # float32 twins of a deterministic model: relative loss difference over the first 20 steps


def options(*argv):
    """Parsed example options (threads left alone: parse_args, not cli.parse)."""
    return cli.parser("test", "test", batch_size=32).parse_args(["--no-progress", *argv])


def both(train, *argv):
    """``train(side, args)`` for minitorch and for torch: {framework: its return value}."""
    args = options(*argv)
    return {side.framework: train(side, args) for side in sides(args)}


def assert_twins_learn(curves, agree=AGREE):
    """The two curves agree over the first 20 steps, stay finite, and go down."""
    a, b = curves["minitorch"], curves["torch"]
    assert max_relative_difference(a.losses, b.losses) < agree
    for c in (a, b):
        assert np.all(np.isfinite(c.losses))
        assert np.mean(c.losses[-3:]) < np.mean(c.losses[:3]), f"{c.framework} did not learn: {c.losses}"


def results(name):
    """``runs/<name>/results.json`` of the last run of example ``name``."""
    with open(os.path.join("runs", name, "results.json")) as f:
        return json.load(f)


def twins_ok(summary):
    """A summary of both frameworks: they agree over 20 steps and both losses went down."""
    assert summary["max_rel_diff_20"] < AGREE
    for fw in ("minitorch", "torch"):
        assert summary[fw]["last_loss"] < summary[fw]["first_loss"]


def write_idx(root, n_train=96, n_test=32, seed=0, labels=None):
    """torchvision's raw MNIST layout with tiny random images; returns {prefix: (images, labels)}."""
    rng = np.random.default_rng(seed)
    raw = os.path.join(root, "MNIST", "raw")
    os.makedirs(raw)
    out = {}
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
        y = (np.arange(n) % 10 if labels == "cycle" else rng.integers(0, 10, n)).astype(np.uint8)
        with open(os.path.join(raw, f"{prefix}-images-idx3-ubyte"), "wb") as f:
            f.write(struct.pack(">IIII", 0x803, n, 28, 28) + images.tobytes())
        with open(os.path.join(raw, f"{prefix}-labels-idx1-ubyte"), "wb") as f:
            f.write(struct.pack(">II", 0x801, n) + y.tobytes())
        out[prefix] = (images, y)
    return out
