"""Evaluation: accuracy, recall, F1, RMSE with scikit-learn's metrics, a confusion matrix, model save/load.

A classifier (MLP on scikit-learn's digits, or MNIST-1D) and a regressor (MLP on scikit-learn's
diabetes data) are trained in every chosen framework from identical weights; scikit-learn scores
their test predictions. Each trained model is saved with ``lib.save(model.state_dict(), path)``,
loaded into a freshly initialised model, and must reproduce its predictions exactly; the minitorch
checkpoint is also loaded into a PyTorch model. The PyTorch twins: ``reference/mlp.py`` and
``reference/evaluate.py``.

    python -m examples evaluate [--framework minitorch|torch|both] [--epochs N] [--steps N] [--dataset NAME]
"""
from __future__ import annotations

import os
from typing import Any

import numpy as np

from minitorch import nn
from examples.harness import cli, report
from examples.harness.data import batches, flat, load
from examples.harness.twin import Side, predict, run_steps, sides
from examples.mlp import MLP
from reference import evaluate as reference
from reference import mlp as reference_mlp

SUFFIX = {"minitorch": "npz", "torch": "pt"}  # minitorch checkpoints are numpy .npz archives


def classification_scores(y_true: np.ndarray, y_pred: np.ndarray) -> dict:
    """Accuracy, macro recall, macro precision and macro F1 from ``sklearn.metrics``."""
    from sklearn import metrics

    return {"accuracy": metrics.accuracy_score(y_true, y_pred),
            "recall": metrics.recall_score(y_true, y_pred, average="macro", zero_division=0),
            "precision": metrics.precision_score(y_true, y_pred, average="macro", zero_division=0),
            "f1": metrics.f1_score(y_true, y_pred, average="macro", zero_division=0)}


def rmse(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Root mean squared error (``sklearn.metrics.root_mean_squared_error`` where it exists)."""
    from sklearn import metrics

    if hasattr(metrics, "root_mean_squared_error"):
        return float(metrics.root_mean_squared_error(y_true, y_pred))
    return float(np.sqrt(metrics.mean_squared_error(y_true, y_pred)))


def diabetes(seed: int = 0, test_fraction: float = 0.2) -> dict:
    """scikit-learn's diabetes data (442 patients, 10 features), features and target standardised."""
    from sklearn.datasets import load_diabetes

    x, y = load_diabetes(return_X_y=True)
    order = np.random.default_rng(seed).permutation(len(x))
    n_test = int(len(x) * test_fraction)
    test, train = order[:n_test], order[n_test:]
    mean, std = y[train].mean(), y[train].std()
    x = (x - x[train].mean(0)) / x[train].std(0)
    z = ((y - mean) / std)[:, None]
    return {"x": x[train], "y": z[train], "x_test": x[test], "y_test": z[test], "y_mean": mean, "y_std": std}


class Regressor(nn.Module):
    """d_in -> hidden -> ReLU -> 1."""

    def __init__(self, d_in: int = 10, hidden: int = 32) -> None:
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(d_in, hidden), nn.ReLU(), nn.Linear(hidden, 1))

    def forward(self, x: Any) -> Any:
        return self.layers(x)


def train(side: Side, args: Any, model: Any, loss_fn: Any, d: dict, batch: int, steps: int) -> Any:
    """Adam on ``loss_fn`` over shuffled minibatches of ``d``; returns the curve."""
    opt = side.lib.optim.Adam(model.parameters(), lr=args.lr)
    data = batches(d["x"], d["y"], batch, shuffle=True, seed=args.seed)

    def step(i: int) -> float:
        x, y = next(data)
        opt.zero_grad()
        loss = loss_fn(model(side.tensor(x)), side.tensor(y))
        loss.backward()
        opt.step()
        return loss.item()

    return run_steps(side, step, steps, progress=not args.no_progress)


def round_trip(side: Side, model: Any, make: Any, x: np.ndarray, path: str, seed: int) -> dict:
    """Save the trained model's state_dict, load it into a fresh ``make()`` model, and compare predictions."""
    lib = side.lib
    lib.save(model.state_dict(), path)
    lib.manual_seed(seed + 1)
    fresh = make()
    fresh = fresh.to(side.device) if side.device != "cpu" else fresh
    changed = not np.array_equal(predict(side, fresh, x), predict(side, model, x))
    fresh.load_state_dict(lib.load(path))
    return {"path": path, "bytes": os.path.getsize(path), "fresh_model_differs": changed,
            "identical_after_load": bool(np.array_equal(predict(side, fresh, x), predict(side, model, x)))}


def into_torch(model: Any, make_torch: Any, x: np.ndarray, path: str) -> float:
    """Largest |difference| between a minitorch model's outputs and PyTorch's after loading its checkpoint."""
    import minitorch
    import torch

    theirs = make_torch()
    theirs.load_state_dict({k: torch.from_numpy(np.asarray(v.numpy())) for k, v in minitorch.load(path).items()})
    return float(np.max(np.abs(predict(Side("torch"), theirs, x) - predict(Side("minitorch"), model, x))))


def plot_confusion(matrices: dict, path: str, title: str) -> str:
    """One confusion-matrix panel per framework (``sklearn.metrics.ConfusionMatrixDisplay``)."""
    from sklearn.metrics import ConfusionMatrixDisplay

    plt = report.pyplot()

    fig, axes = plt.subplots(1, len(matrices), figsize=(5 * len(matrices), 4.4), squeeze=False)
    for ax, (fw, cm) in zip(axes[0], matrices.items()):
        ConfusionMatrixDisplay(cm).plot(ax=ax, colorbar=False)
        ax.set_title(f"{title}: {fw}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def main(argv: list | None = None) -> int:
    """Train, score and round-trip both models; 1 if a round trip or the twins disagree."""
    from sklearn.metrics import confusion_matrix

    p = cli.parser("evaluate", __doc__, epochs=20)
    p.add_argument("--dataset", choices=("digits", "mnist1d"), default="digits", help="classifier's data set")
    p.add_argument("--lr", type=float, default=1e-3, help="Adam learning rate (default: %(default)s)")
    args = cli.parse(p, argv)
    out_dir, results, ok = report.run_dir("evaluate"), {}, True
    d = flat(load(args.dataset))
    r = diabetes(args.seed)
    jobs = [("classifier", (MLP, reference_mlp.MLP, ("relu", d["x"].shape[1])), d, "CrossEntropyLoss", 64),
            ("regressor", (Regressor, reference.Regressor, ()), r, "MSELoss", 32)]
    for name, (ours, theirs, shape), ds, loss, batch in jobs:
        steps = cli.steps_of(args, len(ds["x"]) // batch)
        curves, trained = [], {}
        for side in sides(args):
            model = side.model(args.seed, ours, theirs, *shape)
            curves.append(train(side, args, model, getattr(side.lib.nn, loss)(), ds, batch, steps))
            trained[side.framework] = (side, model)
        results[name] = report.summarize("evaluate", name, f"{name} (Adam lr={args.lr:g}, {steps} steps)", curves)
        matrices = {}
        for fw, (side, model) in trained.items():
            out = predict(side, model, ds["x_test"])
            if name == "classifier":
                scores = classification_scores(ds["y_test"], out.argmax(1))
                matrices[fw] = confusion_matrix(ds["y_test"], out.argmax(1))
            else:
                scale = r["y_std"]
                scores = {"rmse": rmse(ds["y_test"] * scale, out * scale),
                          "rmse_of_mean_predictor": rmse(ds["y_test"] * scale, np.zeros_like(out))}
            make = (lambda: ours(*shape)) if fw == "minitorch" else (lambda: theirs(*shape))
            trip = round_trip(side, model, make, ds["x_test"], os.path.join(out_dir, f"{name}-{fw}.{SUFFIX[fw]}"),
                              args.seed)
            ok &= trip["identical_after_load"] and trip["fresh_model_differs"]
            results[name][fw].update(scores=scores, round_trip=trip)
            print(f"  {fw:>9}: " + ", ".join(f"{k} {v:.4f}" for k, v in scores.items()))
            print(f"  {fw:>9}: saved {trip['bytes']} bytes to {trip['path']}; a fresh model predicts differently: "
                  f"{trip['fresh_model_differs']}; after load_state_dict identical predictions: "
                  f"{trip['identical_after_load']}")
            if fw == "minitorch":
                gap = into_torch(model, lambda: theirs(*shape), ds["x_test"], trip["path"])
                results[name][fw]["into_torch_max_abs_diff"] = gap
                print(f"  minitorch checkpoint loaded into PyTorch: outputs differ by at most {gap:.2e}")
        if matrices:
            cm_path = plot_confusion(matrices, os.path.join(out_dir, "confusion.png"), args.dataset)
            print(f"  confusion matrix: {cm_path}")
            results[name]["confusion_matrix"] = {fw: m.tolist() for fw, m in matrices.items()}
    report.finish("evaluate", results)
    return 0 if ok and report.agree([results["classifier"], results["regressor"]]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
