"""Image augmentation: torchvision transforms (pad, crop, flip, normalise) feeding the minitorch DataLoader.

The scikit-learn digits (or MNIST with --data-dir) become PIL images; torchvision's transforms
augment them sample by sample, and minitorch's ``DataLoader`` batches the transformed torch
tensors into minitorch tensors (its ``default_collate`` reads anything with ``__array__``). LeNet-5
then trains on the augmented batches in minitorch (from the weights its PyTorch twin draws).

    python -m examples augment [--steps N] [--batch-size N] [--data-dir DIR]
"""
from __future__ import annotations

from typing import Any

import numpy as np

from examples.harness import cli
from examples.harness.data import load
from examples.harness.twin import Side
from examples.lenet import LeNet5
from reference.lenet import LeNet5 as TorchLeNet5


class ImageDataset:
    """(PIL image, label) pairs from an (N, H, W) float array in [0, 1], passed through ``transform``."""

    def __init__(self, x: np.ndarray, y: np.ndarray, transform: Any) -> None:
        from PIL import Image

        self.images = [Image.fromarray((np.clip(img, 0, 1) * 255).astype(np.uint8), mode="L") for img in x]
        self.labels = y
        self.transform = transform

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, i: int) -> tuple:
        return self.transform(self.images[i]), int(self.labels[i])


def augmentation(size: int, train: bool = True) -> Any:
    """Resize to ``size``, then (training only) pad 2 + random crop back and random flips; normalise."""
    from torchvision import transforms

    steps = [transforms.Resize(size)]
    if train:
        steps += [transforms.RandomCrop(size, padding=2), transforms.RandomHorizontalFlip(0.5)]
    steps += [transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))]
    return transforms.Compose(steps)


def unit_range(x: np.ndarray) -> np.ndarray:
    """``x`` min-max scaled to [0, 1] (all zeros when it is constant)."""
    lo, hi = x.min(), x.max()
    return (x - lo) / (hi - lo) if hi > lo else x * 0


def loaders(d: dict, batch_size: int, size: int = 28, seed: int = 0) -> tuple:
    """Minitorch DataLoaders over the augmented training set and the plain test set."""
    import minitorch
    from minitorch.utils.data import DataLoader

    x, x_test = unit_range(d["x"]), unit_range(d["x_test"])
    train = ImageDataset(x, d["y"], augmentation(size, train=True))
    test = ImageDataset(x_test, d["y_test"], augmentation(size, train=False))
    g = minitorch.Generator().manual_seed(seed)
    return (DataLoader(train, batch_size=batch_size, shuffle=True, generator=g, drop_last=True),
            DataLoader(test, batch_size=256))


def main(argv: list | None = None) -> int:
    """Train LeNet-5 in minitorch on augmented digits (or MNIST with --data-dir) and report test accuracy."""
    import minitorch
    import minitorch.nn.functional as F
    from tqdm import tqdm

    p = cli.parser("augment", __doc__, steps=150, batch_size=64, framework="minitorch")
    args = cli.parse(p, argv)
    d = load("mnist" if args.data_dir else "digits", args.data_dir)
    train, test = loaders(d, args.batch_size, seed=args.seed)
    model = Side("minitorch").model(args.seed, LeNet5, TorchLeNet5, 28)
    opt = minitorch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    losses, step = [], 0
    bar = tqdm(total=cli.steps_of(args, len(train)), disable=True if args.no_progress else None, desc="minitorch")
    while step < bar.total:
        for xb, yb in train:
            opt.zero_grad()
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            losses.append(loss.item())
            step += 1
            bar.update()
            if step >= bar.total:
                break
    bar.close()
    model.eval()
    with minitorch.no_grad():
        correct = sum(int((model(xb).argmax(1) == yb).sum().item()) for xb, yb in test)
    n_test = len(test.dataset)
    print(f"augmented training: loss {np.mean(losses[:10]):.3f} -> {np.mean(losses[-10:]):.3f} over {step} steps; "
          f"test accuracy {100 * correct / n_test:.1f}% ({n_test} images)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
