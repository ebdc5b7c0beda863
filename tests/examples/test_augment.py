"""Augmentation: torchvision transforms feed the minitorch DataLoader, batches are right, training learns."""
import numpy as np
import torch

import minitorch
from examples import augment
from examples.harness import data


def _small():
    d = data.load("digits")
    return {"x": d["x"][:128], "y": d["y"][:128], "x_test": d["x_test"][:64], "y_test": d["y_test"][:64]}


def test_batches_are_normalised_minitorch_tensors_of_the_right_shape():
    train, test = augment.loaders(_small(), batch_size=16)
    xb, yb = next(iter(train))
    assert isinstance(xb, minitorch.Tensor) and xb.shape == (16, 1, 28, 28) and xb.dtype == minitorch.float32
    assert yb.dtype == minitorch.int64 and yb.shape == (16,)
    assert -1.0 <= xb.min().item() and xb.max().item() <= 1.0
    xt, _ = next(iter(test))
    assert xt.shape == (64, 1, 28, 28)


def test_training_transforms_are_random_and_test_transforms_are_not():
    d = _small()
    ds = augment.ImageDataset(d["x"], d["y"], augment.augmentation(28, train=True))
    torch.manual_seed(0)
    views = [ds[0][0].numpy() for _ in range(6)]
    assert any(not np.array_equal(views[0], v) for v in views[1:])
    plain = augment.ImageDataset(d["x"], d["y"], augment.augmentation(28, train=False))
    assert np.array_equal(plain[0][0].numpy(), plain[0][0].numpy())


def test_augmented_training_lowers_the_loss(capsys):
    assert augment.main(["--steps", "40", "--no-progress"]) == 0
    out = capsys.readouterr().out
    first, last = (float(v) for v in out.split("loss ")[1].split(" over")[0].split(" -> "))
    assert last < first
