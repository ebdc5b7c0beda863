"""LeNet-5 (with a custom MyConv2d wrapper module), the tutorial's CNNModel, layer surgery and custom init.

Both CNNs train on scikit-learn's digits (LeNet-5 reads them upsampled to 32x32, CNNModel at 8x8)
or on MNIST with --data-dir, in every chosen framework from identical weights on the same batches.
Then the surgery: walk ``children()``/``named_modules()``, swap every ReLU for a LeakyReLU, freeze
the convolutions and put a new head on, and re-initialise with ``apply`` (normal, xavier, kaiming,
``fill_``), with the same module names and parameter statistics in both frameworks.

    python -m examples cnn [--framework minitorch|torch|both] [--epochs N] [--steps N] [--data-dir DIR]
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from examples import data, tasks, twins
from examples.cli import parse, parser, total_steps
from examples.common import frameworks_of, lib_of, save_results


def my_conv2d(lib: Any, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1,
              padding: int = 0) -> Any:
    """The tutorial's MyConv2d: a module holding an ``nn.Conv2d`` as ``self.conv`` and calling it."""

    class MyConv2d(lib.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = lib.nn.Conv2d(in_channels, out_channels, kernel_size, stride=stride, padding=padding)

        def forward(self, x: Any) -> Any:
            return self.conv(x)

    return MyConv2d()


def lenet5(lib: Any, size: int = 32, classes: int = 10) -> Any:
    """LeNet-5: conv 5x5 (6) - pool - conv 5x5 (16) - pool - 120 - 84 - classes, ReLU and max-pool.

    32x32 inputs as in the paper; 28x28 (MNIST) get ``padding=2`` on the first convolution.
    """
    nn = lib.nn

    class LeNet5(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv1 = my_conv2d(lib, 1, 6, 5, padding=(32 - size) // 2)
            self.conv2 = my_conv2d(lib, 6, 16, 5)
            self.pool = nn.MaxPool2d(2)
            self.relu = nn.ReLU()
            self.fc1 = nn.Linear(16 * 5 * 5, 120)
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, classes)

        def forward(self, x: Any) -> Any:
            x = self.pool(self.relu(self.conv1(x)))
            x = self.pool(self.relu(self.conv2(x)))
            x = x.view(x.size(0), -1)
            return self.fc3(self.relu(self.fc2(self.relu(self.fc1(x)))))

    return LeNet5()


def cnn_model(lib: Any, size: int = 8, classes: int = 10) -> Any:
    """The tutorial's CNNModel: two (3x3 conv, ReLU, 2x2 max-pool) blocks, then one fully connected layer."""
    nn = lib.nn

    class CNNModel(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.cnn1 = nn.Conv2d(1, 16, kernel_size=3, stride=1, padding=1)
            self.relu1 = nn.ReLU()
            self.maxpool1 = nn.MaxPool2d(kernel_size=2)
            self.cnn2 = nn.Conv2d(16, 32, kernel_size=3, stride=1, padding=1)
            self.relu2 = nn.ReLU()
            self.maxpool2 = nn.MaxPool2d(kernel_size=2)
            self.fc1 = nn.Linear(32 * (size // 4) ** 2, classes)

        def forward(self, x: Any) -> Any:
            out = self.maxpool1(self.relu1(self.cnn1(x)))
            out = self.maxpool2(self.relu2(self.cnn2(out)))
            return self.fc1(out.view(out.size(0), -1))

    return CNNModel()


def upsample(x: np.ndarray, factor: int) -> np.ndarray:
    """Nearest-neighbour upsampling of ``(N, C, H, W)`` images by an integer factor."""
    return x.repeat(factor, axis=2).repeat(factor, axis=3)


# ---------------------------------------------------------------------- layer surgery and init
def module_names(model: Any) -> dict:
    """``children()`` and ``named_modules()`` as lists of (name, class name)."""
    return {"children": [(n, type(m).__name__) for n, m in model.named_children()],
            "modules": [(n, type(m).__name__) for n, m in model.named_modules()]}


def swap_activations(lib: Any, model: Any, slope: float = 0.01) -> int:
    """Replace every ``ReLU`` in ``model`` by ``LeakyReLU(slope)`` through its parent; returns how many."""
    swapped = 0
    for _, module in list(model.named_modules()):
        for child_name, child in list(module.named_children()):
            if isinstance(child, lib.nn.ReLU):
                setattr(module, child_name, lib.nn.LeakyReLU(slope))
                swapped += 1
    return swapped


def freeze_and_replace_head(lib: Any, model: Any, classes: int) -> tuple:
    """Freeze every parameter, then give the model a new trainable ``fc1`` head; (trainable, total) counts."""
    for p in model.parameters():
        p.requires_grad_(False)
    model.fc1 = lib.nn.Linear(model.fc1.in_features, classes)
    counts = [(p.numel(), p.requires_grad) for p in model.parameters()]
    return sum(n for n, g in counts if g), sum(n for n, _ in counts)


def init_weights(lib: Any) -> Any:
    """An ``apply`` hook: kaiming-normal convs, xavier-uniform linears, biases ``fill_(0.01)``."""
    init = lib.nn.init

    def hook(m: Any) -> None:
        if isinstance(m, lib.nn.Conv2d):
            init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        elif isinstance(m, lib.nn.Linear):
            init.xavier_uniform_(m.weight)
        else:
            return
        with lib.no_grad():
            m.bias.fill_(0.01)

    return hook


def init_statistics(lib: Any, seed: int = 0) -> dict:
    """Re-initialise a CNNModel and compare each weight's std with what its init promises."""
    lib.manual_seed(seed)
    model = cnn_model(lib, 8)
    model.apply(init_weights(lib))
    lib.nn.init.normal_(model.cnn1.weight, mean=0.0, std=0.05)
    rows = {}
    expected = {"cnn1": 0.05, "cnn2": math.sqrt(2.0 / (32 * 9)), "fc1": math.sqrt(2.0 / (128 + 10))}
    for name, want in expected.items():
        layer = getattr(model, name)
        w = layer.weight.detach().cpu().numpy().astype(np.float64)
        b = layer.bias.detach().cpu().numpy()
        rows[name] = {"std": float(w.std()), "expected_std": want, "bias_all_0.01": bool(np.all(b == np.float32(0.01)))}
    return rows


def surgery(lib: Any, seed: int = 0) -> dict:
    """The surgery steps on a fresh CNNModel; returns what each step found."""
    lib.manual_seed(seed)
    model = cnn_model(lib, 8)
    before = module_names(model)
    swapped = swap_activations(lib, model)
    trainable, total = freeze_and_replace_head(lib, model, 5)
    out = model(lib.randn(4, 1, 8, 8))
    out.sum().backward()
    frozen_grads = [p.grad is None for n, p in model.named_parameters() if not n.startswith("fc1.")]
    return {"names": before, "after": module_names(model), "swapped": swapped, "trainable": trainable,
            "total": total, "out_shape": tuple(out.shape), "frozen_have_no_grad": all(frozen_grads),
            "head_has_grad": model.fc1.weight.grad is not None, "init": init_statistics(lib, seed)}


def _print_surgery(reports: dict) -> bool:
    first = next(iter(reports.values()))
    print("\nCNNModel children():", ", ".join(f"{n}:{t}" for n, t in first["names"]["children"]))
    print("named_modules() after the swap:", ", ".join(f"{n or '<root>'}:{t}" for n, t in first["after"]["modules"]))
    ok = True
    for fw, r in reports.items():
        print(f"  {fw:>9}: swapped {r['swapped']} ReLU -> LeakyReLU; new 5-class head: {r['trainable']} of "
              f"{r['total']} parameters trainable; output {r['out_shape']}; frozen layers got no grad: "
              f"{r['frozen_have_no_grad']}; head got a grad: {r['head_has_grad']}")
        for layer, s in r["init"].items():
            print(f"             init {layer}: std {s['std']:.4f} (expected {s['expected_std']:.4f}), "
                  f"bias filled with 0.01: {s['bias_all_0.01']}")
        ok &= r["frozen_have_no_grad"] and r["head_has_grad"]
    if len(reports) > 1:
        same = all(r[k] == first[k] for r in reports.values() for k in ("names", "after", "trainable"))
        print(f"  module names and parameter counts identical in both frameworks: {same}")
        ok &= same
    return ok


def main(argv: list | None = None) -> int:
    """Train LeNet-5 and CNNModel, then the surgery and init; 1 if twins or surgery disagree."""
    p = parser("cnn", __doc__, epochs=10)
    p.add_argument("--dataset", choices=("digits", "mnist"), default=None,
                   help="digits, or mnist (needs --data-dir); default: mnist when --data-dir is given, else digits")
    p.add_argument("--lr", type=float, default=1e-3, help="Adam learning rate (default: %(default)s)")
    p.add_argument("--batch-size", type=int, default=64, help="minibatch size (default: %(default)s)")
    args = parse(p, argv)
    name = args.dataset or ("mnist" if args.data_dir else "digits")
    d = tasks.images(tasks.load(name, args.data_dir))
    size = d["x"].shape[-1]
    steps = total_steps(args, len(d["x"]) // args.batch_size)
    lenet_in = upsample(d["x"], 4) if size == 8 else d["x"]
    lenet_test = upsample(d["x_test"], 4) if size == 8 else d["x_test"]
    lenet_size = lenet_in.shape[-1]

    def adam(lib: Any, params: Any) -> Any:
        return lib.optim.Adam(params, lr=args.lr)

    def cross_entropy(lib: Any) -> Any:
        return lib.nn.CrossEntropyLoss()

    models = [("LeNet-5", lambda lib: lenet5(lib, lenet_size), lenet_in, lenet_test),
              ("CNNModel", lambda lib: cnn_model(lib, size), d["x"], d["x_test"])]
    results: dict = {"data": {"dataset": name, "size": size, "train": len(d["x"]), "test": len(d["x_test"])}}
    for label, factory, x, x_test in models:
        runs = twins.fit(args, factory, adam, cross_entropy,
                         lambda x=x: data.batches(x, d["y"], args.batch_size, shuffle=True, seed=args.seed), steps)
        results[label] = twins.summarize(runs, "cnn", f"{label} on {name} {x.shape[-1]}x{x.shape[-1]} "
                                         f"(Adam lr={args.lr:g}, {steps} steps)", f"{label.lower()}.png")
        for fw, run in runs.items():
            acc = twins.accuracy(run, x_test, d["y_test"])
            results[label][fw]["test_accuracy"] = acc
            print(f"  {fw:>9} test accuracy: {100 * acc:.1f}%")
    reports = {fw: surgery(lib_of(fw), args.seed) for fw in frameworks_of(args.framework)}
    ok = _print_surgery(reports)
    results["surgery"] = {fw: {k: v for k, v in r.items() if k != "names"} for fw, r in reports.items()}
    save_results("cnn", results)
    return 0 if ok and twins.agree([results["LeNet-5"], results["CNNModel"]]) else 1
