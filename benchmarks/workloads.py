"""The benchmark workloads, each written once against the shared torch/minitorch API.

``build(name, lib)`` returns a zero-argument ``step`` callable for ``lib`` (``minitorch`` or
``torch``). Model weights are drawn by torch from a fixed seed and copied into the minitorch
model (state_dicts move unchanged), and both frameworks see the same input batch, so the two
steps do the same arithmetic. A model step is: zero_grad, forward, loss, backward, optimiser step.

  W1  MLP 784-256-128-10 (ReLU), batch 128, cross-entropy, SGD
  W2  LeNet-5 on 1x28x28 (conv 1->6 k5 pad 2, ReLU, maxpool 2, conv 6->16 k5, ReLU, maxpool 2,
      fc 400-120-84-10), batch 64
  W3  Elman RNN (tanh), input 28, hidden 128, 28 steps, batch 64, last hidden -> Linear(128, 10)
  W4  tiny graph: ((x * 2 + 1).relu()).sum() forward + backward on 16 values
  LSTM  LSTM(28, 128) classifier, 28 steps, batch 64
  CNN1D MNIST-1D paper CNN: 3 Conv1d(25 channels, k 5/3/3, stride 2, pad 1) -> Linear(125, 10), batch 100
  GRU1D MNIST-1D paper GRU: bidirectional GRU(1, 6), 40 steps, flatten -> Linear(480, 10), batch 100
  GAN   one discriminator + one generator step of the tutorial's MLP GAN (BCELoss, Adam(0.5, 0.999)), batch 64
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

SEED = 0


def mlp(lib: Any) -> Any:
    nn = lib.nn
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))


def lenet(lib: Any) -> Any:
    nn = lib.nn
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    )


def cnn1d(lib: Any) -> Any:
    nn = lib.nn
    return nn.Sequential(
        nn.Conv1d(1, 25, 5, stride=2, padding=1), nn.ReLU(),
        nn.Conv1d(25, 25, 3, stride=2, padding=1), nn.ReLU(),
        nn.Conv1d(25, 25, 3, stride=2, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(125, 10),
    )


def recurrent_classifier(lib: Any, kind: str, input_size: int, hidden: int, steps: int,
                         bidirectional: bool = False, flatten_all: bool = False) -> Any:
    """A recurrent layer followed by a Linear on the last step (or on all steps flattened)."""
    nn = lib.nn
    rnn_cls = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[kind]
    n_dir = 2 if bidirectional else 1

    class Classifier(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.rnn = rnn_cls(input_size, hidden, batch_first=True, bidirectional=bidirectional)
            self.fc = nn.Linear(hidden * n_dir * (steps if flatten_all else 1), 10)

        def forward(self, x: Any) -> Any:
            out, _ = self.rnn(x)
            return self.fc(out.flatten(1) if flatten_all else out[:, -1])

    return Classifier()


def gan(lib: Any) -> tuple:
    """The tutorial's MLP generator (noise 100 -> 784) and discriminator (784 -> 1)."""
    nn = lib.nn

    def block(i: int, o: int, norm: bool = True) -> list:
        layers = [nn.Linear(i, o)]
        if norm:
            layers.append(nn.BatchNorm1d(o))
        layers.append(nn.LeakyReLU(0.2))
        return layers

    generator = nn.Sequential(*block(100, 128, norm=False), *block(128, 256), *block(256, 512),
                              nn.Linear(512, 784), nn.Tanh())
    discriminator = nn.Sequential(nn.Linear(784, 512), nn.LeakyReLU(0.2), nn.Linear(512, 256),
                                  nn.LeakyReLU(0.2), nn.Linear(256, 1), nn.Sigmoid())
    return generator, discriminator


def _twin(factory: Callable[[Any], Any], lib: Any) -> Any:
    """The model for ``lib`` with torch's seeded initial weights."""
    import torch

    torch.manual_seed(SEED)
    reference = factory(torch)
    if lib is torch:
        return reference
    model = factory(lib)
    model.load_state_dict({k: v.detach().numpy() for k, v in reference.state_dict().items()})
    return model


def _classifier_step(lib: Any, factory: Callable, x_shape: tuple, lr: float = 0.01) -> Callable:
    model = _twin(factory, lib)
    rng = np.random.default_rng(SEED)
    x = lib.tensor(rng.standard_normal(x_shape).astype(np.float32))
    y = lib.tensor(rng.integers(0, 10, x_shape[0]))
    opt = lib.optim.SGD(model.parameters(), lr=lr)
    F = lib.nn.functional

    def step() -> None:
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()

    return step


def _tiny_step(lib: Any) -> Callable:
    x = lib.tensor(np.linspace(-1, 1, 16, dtype=np.float32), requires_grad=True)

    def step() -> None:
        ((x * 2 + 1).relu()).sum().backward()

    return step


def _gan_step(lib: Any) -> Callable:
    generator = _twin(lambda m: gan(m)[0], lib)
    discriminator = _twin(lambda m: gan(m)[1], lib)
    rng = np.random.default_rng(SEED)
    real = lib.tensor(rng.uniform(-1, 1, (64, 784)).astype(np.float32))
    noise = lib.tensor(rng.standard_normal((64, 100)).astype(np.float32))
    ones, zeros = lib.ones(64, 1), lib.zeros(64, 1)
    bce = lib.nn.BCELoss()
    opt_g = lib.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = lib.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))

    def step() -> None:
        opt_d.zero_grad()
        fake = generator(noise)
        loss_d = bce(discriminator(real), ones) + bce(discriminator(fake.detach()), zeros)
        loss_d.backward()
        opt_d.step()
        opt_g.zero_grad()
        loss_g = bce(discriminator(fake), ones)
        loss_g.backward()
        opt_g.step()

    return step


WORKLOADS: dict[str, Callable[[Any], Callable]] = {
    "W1_mlp": lambda lib: _classifier_step(lib, mlp, (128, 784)),
    "W2_lenet": lambda lib: _classifier_step(lib, lenet, (64, 1, 28, 28)),
    "W3_rnn": lambda lib: _classifier_step(lib, lambda m: recurrent_classifier(m, "rnn", 28, 128, 28), (64, 28, 28)),
    "W4_tiny": _tiny_step,
    "lstm": lambda lib: _classifier_step(lib, lambda m: recurrent_classifier(m, "lstm", 28, 128, 28), (64, 28, 28)),
    "cnn1d": lambda lib: _classifier_step(lib, cnn1d, (100, 1, 40)),
    "gru1d": lambda lib: _classifier_step(
        lib, lambda m: recurrent_classifier(m, "gru", 1, 6, 40, bidirectional=True, flatten_all=True), (100, 40, 1)),
    "gan": _gan_step,
}

HEADLINE = ("W1_mlp", "W2_lenet", "W3_rnn", "W4_tiny")
TARGETS = {"W1_mlp": 0.9, "W2_lenet": 1.0, "W3_rnn": 0.8, "W4_tiny": 0.5, "lstm": 1.0, "gan": 1.0}  # issue 17


def build(name: str, lib: Any) -> Callable:
    """The step callable of workload ``name`` for ``lib``."""
    if name not in WORKLOADS:
        raise KeyError(f"unknown workload {name!r}; choose from {sorted(WORKLOADS)}")
    return WORKLOADS[name](lib)
