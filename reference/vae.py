"""The PyTorch twin of ``examples/vae.py``: the variational autoencoder and its loss in torch."""
from __future__ import annotations

from typing import Any

import torch
from torch import nn
from torch.nn import functional as F

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
            eps = torch.randn_like(std)
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
