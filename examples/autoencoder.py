"""An autoencoder in minitorch, trained beside its PyTorch twin (reference/autoencoder.py).

An encoder of ``Linear`` + ``ReLU`` layers squeezes each image to 3 numbers and a mirror-image
decoder ending in ``Sigmoid`` rebuilds it; Adam trains both on the mean squared reconstruction
error. Images are sklearn's 8x8 digits, MNIST from ``--data-dir``, or MNIST-1D signals scaled to
[0, 1]. Test images and their reconstructions go to ``runs/autoencoder/reconstructions_ae.png``.

    python -m examples autoencoder --framework both --steps 300
"""
from __future__ import annotations

from typing import Any

from minitorch import nn
from examples.harness import cli, report
from examples.harness.data import NAMES, batches, flat_images, source_of
from examples.harness.twin import Side, run_steps, sides
from reference import autoencoder as reference

NAME = "autoencoder"
DEFAULT_STEPS = 300


class AutoEncoder(nn.Module):
    """x (B, D) -> code (B, 3) -> reconstruction (B, D) in [0, 1]; ``forward`` returns both."""

    def __init__(self, in_features: int, code: int = 3) -> None:
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Linear(in_features, 128), nn.ReLU(True),
            nn.Linear(128, 64), nn.ReLU(True),
            nn.Linear(64, 12), nn.ReLU(True),
            nn.Linear(12, code),
        )
        self.decoder = nn.Sequential(
            nn.Linear(code, 12), nn.ReLU(True),
            nn.Linear(12, 64), nn.ReLU(True),
            nn.Linear(64, 128), nn.ReLU(True),
            nn.Linear(128, in_features), nn.Sigmoid(),
        )

    def forward(self, x: Any) -> tuple:
        code = self.encoder(x)
        return code, self.decoder(code)


def train_ae(side: Side, args: Any, steps: int, d: dict) -> tuple:
    """The autoencoder with Adam on MSE; returns its curve, test MSE and the first 8 test reconstructions."""
    lib = side.lib
    model = side.model(args.seed, AutoEncoder, reference.AutoEncoder, d["x"].shape[1])
    opt = lib.optim.Adam(model.parameters(), lr=3e-3)
    data = batches(d["x"], d["x"], args.batch_size, shuffle=True, seed=args.seed)

    def step(i: int) -> float:
        x, _ = next(data)
        xt = side.tensor(x)
        opt.zero_grad()
        _, recon = model(xt)
        loss = lib.nn.functional.mse_loss(recon, xt)
        loss.backward()
        opt.step()
        return loss.item()

    curve = run_steps(side, step, steps, progress=not args.no_progress)
    with lib.no_grad():
        test = side.tensor(d["x_test"])
        recon = model(test)[1]
        mse = float(lib.nn.functional.mse_loss(recon, test).item())
    return curve, {"test_mse": mse}, side.numpy(recon[:8])


def main(argv: list | None = None) -> int:
    """Train the autoencoder in the chosen frameworks; plot test images and their reconstructions."""
    p = cli.parser(NAME, __doc__, batch_size=64)
    p.add_argument("--data", choices=NAMES, default=None, help="images (default: digits, or mnist with --data-dir)")
    args = cli.parse(p, argv)
    d = flat_images(source_of(args, "digits"), args.data_dir)
    steps = cli.steps_of(args, len(d["x"]) // args.batch_size, DEFAULT_STEPS)
    curves, info, rows = [], {}, {"original": d["x_test"][:8]}
    for side in sides(args):
        curve, info[side.framework], rows[side.framework] = train_ae(side, args, steps, d)
        curves.append(curve)
        print(f"  {side.framework}: test mse {info[side.framework]['test_mse']:.4f}")
    result = report.summarize(NAME, "ae", "autoencoder", curves, info)
    path = report.plot_rows(rows, f"{report.run_dir(NAME)}/reconstructions_ae.png",
                            "ae: test images and reconstructions", shape=d["shape"])
    print(f"  plots: {path}")
    report.finish(NAME, {"models": [result]})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
