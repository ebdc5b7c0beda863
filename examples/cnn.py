"""The tutorial's CNNModel, then layer surgery and custom initialisation on it.

CNNModel trains on scikit-learn's 8x8 digits (or MNIST with --data-dir) in minitorch and beside the
PyTorch twin of ``reference/cnn.py`` from identical weights on the same batches. Then the surgery:
walk ``children()``/``named_modules()``, swap every ReLU for a LeakyReLU, freeze the convolutions and
put a new head on, and re-initialise with ``apply`` (normal, xavier, kaiming, ``fill_``), with the
same module names and parameter statistics in both frameworks.

    python -m examples cnn [--framework minitorch|torch|both] [--epochs N] [--steps N] [--data-dir DIR]
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from minitorch import nn
from examples.harness import cli, report
from examples.harness.data import batches, channels, load
from examples.harness.twin import Side, accuracy, lib_of, run_steps, sides
from reference import cnn as reference


class CNNModel(nn.Module):
    """The tutorial's CNNModel: two (3x3 conv, ReLU, 2x2 max-pool) blocks, then one fully connected layer."""

    def __init__(self, size: int = 8, classes: int = 10) -> None:
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


def train(side: Side, args: Any, d: dict, steps: int) -> tuple:
    """Adam on the cross-entropy over shuffled minibatches; returns (model, curve)."""
    lib = side.lib
    model = side.model(args.seed, CNNModel, reference.CNNModel, d["x"].shape[-1])
    opt = lib.optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = lib.nn.CrossEntropyLoss()
    data = batches(d["x"], d["y"], args.batch_size, shuffle=True, seed=args.seed)

    def step(i: int) -> float:
        x, y = next(data)
        opt.zero_grad()
        loss = loss_fn(model(side.tensor(x)), side.tensor(y))
        loss.backward()
        opt.step()
        return loss.item()

    return model, run_steps(side, step, steps, progress=not args.no_progress)


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


def init_statistics(lib: Any, model_class: type, seed: int = 0) -> dict:
    """Re-initialise a CNNModel of ``lib`` and compare each weight's std with what its init promises."""
    lib.manual_seed(seed)
    model = model_class(8)
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


def surgery(lib: Any, model_class: type, seed: int = 0) -> dict:
    """The surgery steps on a fresh CNNModel of ``lib`` (each framework's own seeded init); what each step found."""
    lib.manual_seed(seed)
    model = model_class(8)
    before = module_names(model)
    swapped = swap_activations(lib, model)
    trainable, total = freeze_and_replace_head(lib, model, 5)
    out = model(lib.randn(4, 1, 8, 8))
    out.sum().backward()
    frozen_grads = [p.grad is None for n, p in model.named_parameters() if not n.startswith("fc1.")]
    return {"names": before, "after": module_names(model), "swapped": swapped, "trainable": trainable,
            "total": total, "out_shape": tuple(out.shape), "frozen_have_no_grad": all(frozen_grads),
            "head_has_grad": model.fc1.weight.grad is not None, "init": init_statistics(lib, model_class, seed)}


def print_surgery(reports: dict) -> bool:
    """Print what the surgery found in each framework; True when it worked and both frameworks agree."""
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
    """Train CNNModel, then the surgery and init; 1 if the twins or the surgery disagree."""
    p = cli.parser("cnn", __doc__, epochs=10, batch_size=64)
    p.add_argument("--lr", type=float, default=1e-3, help="Adam learning rate (default: %(default)s)")
    args = cli.parse(p, argv)
    name = "mnist" if args.data_dir else "digits"
    d = channels(load(name, args.data_dir))
    size, steps = d["x"].shape[-1], cli.steps_of(args, len(d["x"]) // args.batch_size)
    curves, info = [], {}
    for side in sides(args):
        model, curve = train(side, args, d, steps)
        curves.append(curve)
        info[side.framework] = {"test_accuracy": accuracy(side, model, d["x_test"], d["y_test"])}
        print(f"  {side.framework:>9} test accuracy: {100 * info[side.framework]['test_accuracy']:.1f}%")
    result = report.summarize("cnn", "cnnmodel", f"CNNModel on {name} {size}x{size} (Adam lr={args.lr:g}, "
                              f"{steps} steps)", curves, info)
    result["data"] = {"dataset": name, "size": size, "train": len(d["x"]), "test": len(d["x_test"])}
    classes = {"minitorch": CNNModel, "torch": reference.CNNModel}
    reports = {s.framework: surgery(lib_of(s.framework), classes[s.framework], args.seed) for s in sides(args)}
    ok = print_surgery(reports)
    result["surgery"] = {fw: {k: v for k, v in r.items() if k != "names"} for fw, r in reports.items()}
    report.finish("cnn", result)
    return 0 if ok and report.agree([result]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
