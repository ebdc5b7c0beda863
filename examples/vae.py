"""A variational autoencoder in minitorch, trained beside its PyTorch twin (reference/vae.py).

The encoder gives a mean and a log-variance, ``z = mu + eps * exp(logvar / 2)`` (the
reparameterisation: ``eps ~ N(0, I)`` is the only randomness, so gradients flow to mu and logvar),
and the loss is the binary cross-entropy of the reconstruction plus the KL divergence
KL(N(mu, sigma^2) || N(0, I)) = -1/2 sum(1 + logvar - mu^2 - exp(logvar)), per image. New images
are decoded from ``z ~ N(0, I)``.

The noise ``eps`` is drawn by numpy and fed to both frameworks, so their runs stay comparable.
Images are sklearn's 8x8 digits, MNIST from ``--data-dir``, or MNIST-1D signals scaled to [0, 1].
Reconstructions and samples go to ``runs/vae/``.

    python -m examples vae --framework both --steps 300
"""
from __future__ import annotations

from typing import Any

import numpy as np

import minitorch
from minitorch import nn
from minitorch.nn import functional as F
from examples.harness import cli, report
from examples.harness.data import NAMES, batches, flat_images, source_of
from examples.harness.twin import Side, run_steps, sides
from reference import vae as reference

NAME = "vae"
DEFAULT_STEPS = 300
LATENT = 8


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


def main(argv: list | None = None) -> int:
    """Train the VAE in the chosen frameworks; plot reconstructions and samples decoded from the same z."""
    p = cli.parser(NAME, __doc__, batch_size=64)
    p.add_argument("--data", choices=NAMES, default=None, help="images (default: digits, or mnist with --data-dir)")
    args = cli.parse(p, argv)
    d = flat_images(source_of(args, "digits"), args.data_dir)
    steps = cli.steps_of(args, len(d["x"]) // args.batch_size, DEFAULT_STEPS)
    curves, info, recon_rows, sample_rows = [], {}, {"original": d["x_test"][:8]}, {}
    for side in sides(args):
        curve, info[side.framework], recon_rows[side.framework], sample_rows[side.framework] = train_vae(
            side, args, steps, d)
        curves.append(curve)
        print(f"  {side.framework}: test loss {info[side.framework]['test_loss']:.4f}")
    result = report.summarize(NAME, "vae", "variational autoencoder", curves, info)
    out = report.run_dir(NAME)
    paths = [report.plot_rows(recon_rows, f"{out}/reconstructions_vae.png", "vae: test images and reconstructions",
                              shape=d["shape"]),
             report.plot_rows(sample_rows, f"{out}/samples_vae.png", "vae: decoded from z ~ N(0, I), same z",
                              shape=d["shape"])]
    print("  plots: " + ", ".join(paths))
    report.finish(NAME, {"models": [result]})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
