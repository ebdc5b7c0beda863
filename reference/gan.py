"""The PyTorch twins of ``examples/gan.py``: the tutorial's MLP GAN and the DCGAN in torch."""
from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn


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
