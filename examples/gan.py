"""The source tutorials' GANs in minitorch, each trained beside its PyTorch twin (reference/gan.py).

- ``mlp``: the tutorial's generator (noise 100 -> 128 -> 256 -> 512 -> image, ``LeakyReLU(0.2)``,
  ``BatchNorm1d``, ``Tanh``) and discriminator (image -> 512 -> 256 -> 1, ``Sigmoid``), ``BCELoss``,
  ``Adam(lr=2e-4, betas=(0.5, 0.999))``, alternating discriminator and generator steps. The
  tutorial's loop called an undefined ``wasserstein_distance`` and never defined ``valid``; here the
  discriminator learns real -> 1, fake -> 0 and the generator learns to make it say 1.
- ``dcgan``: a DCGAN-style generator of ``ConvTranspose2d`` + ``BatchNorm2d`` + ``ReLU`` layers
  (7x7 -> 14x14 -> 28x28, ``Tanh``) against a strided-convolution discriminator, with PyTorch's
  default initialisation (the DCGAN paper's N(0, 0.02) weights let the discriminator win outright
  on 1,797 digits: the generator's output collapses to zero within a few hundred steps).

In float32 the two frameworks' GAN losses drift apart by ~1e-3 within 20 steps: alternating Adam
steps amplify rounding differences. With ``--float64`` they agree to ~1e-15, which is what shows
that the two computations are the same.

Images are sklearn's 8x8 digits upscaled to 28x28, MNIST from ``--data-dir``, or (``mlp`` only)
MNIST-1D signals of length 40; all scaled to [-1, 1]. Samples go to ``runs/gan/samples_<model>.png``.

    python -m examples gan --model mlp --framework both --steps 300
"""
from __future__ import annotations

from typing import Any

import numpy as np

from minitorch import nn
from examples.harness import cli, report
from examples.harness.data import NAMES, batches, source_of, unit_images
from examples.harness.twin import Side, run_steps, sides
from reference import gan as reference

NAME = "gan"
MODELS = ("mlp", "dcgan")
LATENT = {"mlp": 100, "dcgan": 64}


class Generator(nn.Module):
    """The tutorial's MLP generator: noise (B, noise_dim) -> images (B, *img_shape) in [-1, 1]."""

    def __init__(self, img_shape: tuple, noise_dim: int = 100) -> None:
        super().__init__()
        self.img_shape = tuple(img_shape)
        self.model = nn.Sequential(
            nn.Linear(noise_dim, 128),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Linear(128, 256),
            nn.BatchNorm1d(256),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Linear(256, 512),
            nn.BatchNorm1d(512),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Linear(512, int(np.prod(self.img_shape))),
            nn.Tanh(),
        )

    def forward(self, z: Any) -> Any:
        img = self.model(z)
        return img.view(img.size(0), *self.img_shape)

class Discriminator(nn.Module):
    """The tutorial's MLP discriminator: images -> probability (B, 1) that each is real."""

    def __init__(self, img_shape: tuple) -> None:
        super().__init__()
        self.model = nn.Sequential(
            nn.Linear(int(np.prod(img_shape)), 512),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Linear(512, 256),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Linear(256, 1),
            nn.Sigmoid(),
        )

    def forward(self, img: Any) -> Any:
        return self.model(img.view(img.size(0), -1))

class DCGenerator(nn.Module):
    """Noise (B, nz) -> (B, 1, 28, 28): transposed convolutions 1 -> 7 -> 14 -> 28 pixels a side."""

    def __init__(self, nz: int = 64, ngf: int = 32) -> None:
        super().__init__()
        self.nz = nz
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 2, 7, 1, 0, bias=False),
            nn.BatchNorm2d(ngf * 2),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf, 1, 4, 2, 1, bias=False),
            nn.Tanh(),
        )

    def forward(self, z: Any) -> Any:
        return self.main(z.view(z.size(0), self.nz, 1, 1))

class DCDiscriminator(nn.Module):
    """(B, 1, 28, 28) -> probability (B, 1): strided convolutions 28 -> 14 -> 7 -> 1."""

    def __init__(self, ndf: int = 32) -> None:
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(1, ndf, 4, 2, 1, bias=False),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ndf * 2),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 2, 1, 7, 1, 0, bias=False),
            nn.Sigmoid(),
        )

    def forward(self, img: Any) -> Any:
        return self.main(img).view(-1, 1)



def images(source: str, data_dir: str | None = None) -> np.ndarray:
    """Training images scaled to [-1, 1]: (N, 1, 28, 28) for digits (upscaled) and MNIST, (N, 40) for MNIST-1D."""
    x = unit_images(source, data_dir)["x"]
    if source == "digits":
        from scipy.ndimage import zoom

        x = np.clip(zoom(x, (1, 3.5, 3.5), order=1), 0.0, 1.0)
    if x.ndim == 3:
        x = x[:, None]
    return (x * 2 - 1).astype(np.float32)


def pair(kind: str, img_shape: tuple) -> tuple:
    """(minitorch class, PyTorch class, arguments) of the generator, then of the discriminator, of a GAN."""
    if kind == "mlp":
        return ((Generator, reference.Generator, (img_shape, LATENT["mlp"])),
                (Discriminator, reference.Discriminator, (img_shape,)))
    if img_shape != (1, 28, 28):
        raise SystemExit(f"the DCGAN makes 28x28 images; data of shape {img_shape} needs --model mlp")
    return (DCGenerator, reference.DCGenerator, (LATENT["dcgan"],)), (DCDiscriminator, reference.DCDiscriminator, ())


def train_gan(side: Side, args: Any, steps: int, kind: str, x: np.ndarray) -> tuple:
    """Alternating discriminator / generator Adam steps with BCELoss; returns the curve (generator loss
    first, discriminator loss in metrics) and the trained generator."""
    lib = side.lib
    make_g, make_d = pair(kind, x.shape[1:])
    generator = side.model(args.seed, make_g[0], make_g[1], *make_g[2])
    discriminator = side.model(args.seed + 1, make_d[0], make_d[1], *make_d[2])
    opt_g = lib.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = lib.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    criterion = lib.nn.BCELoss()
    data = batches(x, np.zeros(len(x)), args.batch_size, shuffle=True, seed=args.seed)
    noise = np.random.default_rng(args.seed)
    valid = side.tensor(np.ones((args.batch_size, 1), np.float32))
    fake = side.tensor(np.zeros((args.batch_size, 1), np.float32))

    def step(i: int) -> tuple:
        real, _ = next(data)
        z = side.tensor(noise.standard_normal((len(real), LATENT[kind])).astype(np.float32))
        generated = generator(z)

        opt_d.zero_grad()
        d_loss = (criterion(discriminator(side.tensor(real)), valid)
                  + criterion(discriminator(generated.detach()), fake)) / 2
        d_loss.backward()
        opt_d.step()

        opt_g.zero_grad()
        g_loss = criterion(discriminator(generated), valid)
        g_loss.backward()
        opt_g.step()
        return g_loss.item(), d_loss.item()

    curve = run_steps(side, step, steps, names=("g_loss", "d_loss"), progress=not args.no_progress)
    return curve, generator


def sample(side: Side, generator: Any, kind: str, n: int = 16, seed: int = 1234) -> np.ndarray:
    """``n`` generated images from fixed noise, the generator in eval mode (running batch-norm statistics)."""
    z = np.random.default_rng(seed).standard_normal((n, LATENT[kind])).astype(np.float32)
    generator.eval()
    with side.lib.no_grad():
        out = side.numpy(generator(side.tensor(z)))
    generator.train()
    return out


DEFAULT_STEPS = {"mlp": 300, "dcgan": 150}


def main(argv: list | None = None) -> int:
    """Train the chosen GANs in the chosen frameworks, report side by side and plot samples."""
    p = cli.parser("gan", __doc__, batch_size=64)
    p.add_argument("--model", choices=MODELS + ("all",), default="all", help="which GAN (default: all)")
    p.add_argument("--data", choices=NAMES, default=None,
                   help="training images (default: digits upscaled to 28x28, or mnist with --data-dir)")
    args = cli.parse(p, argv)
    x = images(source_of(args, "digits"), args.data_dir)
    results = []
    for kind in MODELS if args.model == "all" else (args.model,):
        if kind == "dcgan" and args.model == "all" and x.ndim != 4:
            print("  dcgan skipped: it makes 28x28 images, not MNIST-1D signals")
            continue
        curves, rows = [], {"real": x[:8]}
        for side in sides(args):
            curve, generator = train_gan(side, args, cli.steps_of(args, len(x) // args.batch_size, DEFAULT_STEPS[kind]), kind, x)
            curves.append(curve)
            rows[side.framework] = sample(side, generator, kind, n=8)
        results.append(report.summarize(NAME, kind, f"{NAME}: {kind}", curves))
        if len(curves) == 2 and not args.float64:
            print("  (alternating Adam steps amplify float32 rounding; with --float64 the losses agree to ~1e-15)")
        path = report.plot_rows(rows, f"{report.run_dir(NAME)}/samples_{kind}.png", f"{kind} GAN samples, same noise",
                                 vmin=-1.0)
        print(f"  samples: {path}")
    report.finish(NAME, {"models": results})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
