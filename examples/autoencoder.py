"""An autoencoder and a VAE in minitorch, each trained beside its PyTorch twin (reference/autoencoder.py).

- ``ae``: an encoder of ``Linear`` + ``ReLU`` layers squeezing each image to 3 numbers and a
  mirror-image decoder ending in ``Sigmoid``, trained on mean squared reconstruction error.
- ``vae``: the encoder gives a mean and a log-variance, ``z = mu + eps * exp(logvar / 2)`` (the
  reparameterisation: ``eps ~ N(0, I)`` is the only randomness, so gradients flow to mu and
  logvar), and the loss is the binary cross-entropy of the reconstruction plus the KL divergence
  KL(N(mu, sigma^2) || N(0, I)) = -1/2 sum(1 + logvar - mu^2 - exp(logvar)), per image. New images
  are decoded from ``z ~ N(0, I)``.

The noise ``eps`` is drawn by numpy and fed to both frameworks, so their runs stay comparable.
Images are sklearn's 8x8 digits, MNIST from ``--data-dir``, or MNIST-1D signals scaled to [0, 1].
Reconstructions and samples go to ``runs/autoencoder/``.

    python -m examples autoencoder --model vae --framework both --steps 300
"""
from __future__ import annotations

from typing import Any

import numpy as np

import minitorch
from minitorch import nn
from minitorch.nn import functional as F
from examples.harness import cli, report
from examples.harness.data import NAMES, batches, source_of, unit_images
from examples.harness.twin import Side, run_steps, sides
from reference import autoencoder as reference

NAME = "autoencoder"
MODELS = ("ae", "vae")
LATENT = 8


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

class VAE(nn.Module):
    """q(z|x) = N(mu(x), exp(logvar(x))), p(x|z) = Bernoulli(decode(z)); ``forward(x, eps)`` returns
    the reconstruction, mu and logvar, with z = mu + eps * exp(logvar / 2)."""

    def __init__(self, in_features: int, hidden: int = 256, latent: int = LATENT) -> None:
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc21 = nn.Linear(hidden, latent)
        self.fc22 = nn.Linear(hidden, latent)
        self.fc3 = nn.Linear(latent, hidden)
        self.fc4 = nn.Linear(hidden, in_features)

    def encode(self, x: Any) -> tuple:
        h = F.relu(self.fc1(x))
        return self.fc21(h), self.fc22(h)

    def reparameterize(self, mu: Any, logvar: Any, eps: Any = None) -> Any:
        std = (0.5 * logvar).exp()
        if eps is None:
            eps = minitorch.randn_like(std)
        return mu + eps * std

    def decode(self, z: Any) -> Any:
        return F.sigmoid(self.fc4(F.relu(self.fc3(z))))

    def forward(self, x: Any, eps: Any = None) -> tuple:
        mu, logvar = self.encode(x)
        return self.decode(self.reparameterize(mu, logvar, eps)), mu, logvar

def vae_loss(recon: Any, x: Any, mu: Any, logvar: Any) -> Any:
    """Negative ELBO per image: BCE(recon, x) summed over pixels + KL(q(z|x) || N(0, I))."""
    bce = F.binary_cross_entropy(recon, x, reduction="sum")
    kld = -0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum()
    return (bce + kld) / x.shape[0]



def flat_images(source: str, data_dir: str | None = None) -> dict:
    """Images in [0, 1] flattened to (N, D), with the shape to draw them in (None for 1-D signals)."""
    d = unit_images(source, data_dir)
    shape = d["x"].shape[1:] if d["x"].ndim == 3 else None
    return {"x": d["x"].reshape(len(d["x"]), -1), "x_test": d["x_test"].reshape(len(d["x_test"]), -1),
            "shape": shape}


def train_ae(side: Side, args: Any, steps: int, d: dict) -> tuple:
    """The autoencoder with Adam on MSE; returns its curve, test MSE and (originals, reconstructions)."""
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
    return curve, {"test_mse": mse}, side.numpy(recon[:8]), None


def train_vae(side: Side, args: Any, steps: int, d: dict) -> tuple:
    """The VAE with Adam on the negative ELBO, ``eps`` drawn by numpy; returns its curve, test loss,
    reconstructions and samples decoded from fixed N(0, I) noise."""
    lib = side.lib
    loss_fn = vae_loss if side.framework == "minitorch" else reference.vae_loss
    model = side.model(args.seed, VAE, reference.VAE, d["x"].shape[1])
    opt = lib.optim.Adam(model.parameters(), lr=1e-3)
    data = batches(d["x"], d["x"], args.batch_size, shuffle=True, seed=args.seed)
    noise = np.random.default_rng(args.seed)

    def step(i: int) -> float:
        x, _ = next(data)
        xt = side.tensor(x)
        opt.zero_grad()
        recon, mu, logvar = model(xt, side.tensor(noise.standard_normal((len(x), LATENT))))
        loss = loss_fn(recon, xt, mu, logvar)
        loss.backward()
        opt.step()
        return loss.item()

    curve = run_steps(side, step, steps, progress=not args.no_progress)
    fixed = np.random.default_rng(1234)
    with lib.no_grad():
        test = side.tensor(d["x_test"])
        recon, mu, logvar = model(test, side.tensor(fixed.standard_normal((len(d["x_test"]), LATENT))))
        test_loss = float(loss_fn(recon, test, mu, logvar).item())
        samples = model.decode(side.tensor(fixed.standard_normal((8, LATENT))))
    return curve, {"test_loss": test_loss}, side.numpy(recon[:8]), side.numpy(samples)


TRAIN = {"ae": train_ae, "vae": train_vae}
DEFAULT_STEPS = {"ae": 300, "vae": 300}


def main(argv: list | None = None) -> int:
    """Train the autoencoder and/or the VAE in the chosen frameworks; plot reconstructions and samples."""
    p = cli.parser("autoencoder", __doc__, batch_size=64)
    p.add_argument("--model", choices=MODELS + ("all",), default="all", help="which model (default: all)")
    p.add_argument("--data", choices=NAMES, default=None,
                   help="images (default: digits, or mnist with --data-dir)")
    args = cli.parse(p, argv)
    d = flat_images(source_of(args, "digits"), args.data_dir)
    results = []
    for kind in MODELS if args.model == "all" else (args.model,):
        curves, info = [], {}
        recon_rows, sample_rows = {"original": d["x_test"][:8]}, {}
        for side in sides(args):
            curve, info[side.framework], recon, samples = TRAIN[kind](
                side, args, cli.steps_of(args, len(d["x"]) // args.batch_size, DEFAULT_STEPS[kind]), d)
            curves.append(curve)
            recon_rows[side.framework] = recon
            if samples is not None:
                sample_rows[side.framework] = samples
            print(f"  {kind} {side.framework}: " + ", ".join(f"{k} {v:.4f}" for k, v in info[side.framework].items()))
        results.append(report.summarize(NAME, kind, f"{NAME}: {kind}", curves, info))
        out = report.run_dir(NAME)
        paths = [report.plot_rows(recon_rows, f"{out}/reconstructions_{kind}.png",
                                   f"{kind}: test images and reconstructions", shape=d["shape"])]
        if sample_rows:
            paths.append(report.plot_rows(sample_rows, f"{out}/samples_{kind}.png",
                                           f"{kind}: decoded from z ~ N(0, I), same z", shape=d["shape"]))
        print("  plots: " + ", ".join(paths))
    report.finish(NAME, {"models": results})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
