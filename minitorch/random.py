"""Random number generation: one global numpy Generator, reseeded by ``manual_seed``."""
from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from minitorch import _dtype
from minitorch._tensor import Tensor
from minitorch.autograd.inplace import run_inplace


class Generator:
    """A source of random numbers (``torch.Generator``); ``manual_seed`` makes it reproducible."""

    def __init__(self, device: str = "cpu"):
        self._seed = int(np.random.SeedSequence().entropy % (2**63))
        self.rng = np.random.default_rng(self._seed)

    def manual_seed(self, seed: int) -> "Generator":
        """Reseed this generator so its draws are reproducible."""
        self._seed = int(seed)
        self.rng = np.random.default_rng(self._seed)
        return self

    def initial_seed(self) -> int:
        """The seed this generator was last seeded with."""
        return self._seed

    def seed(self) -> int:
        """Reseed this generator from fresh entropy and return the seed."""
        return self.manual_seed(int(np.random.SeedSequence().entropy % (2**63))).initial_seed()

    def get_state(self) -> dict:
        """The generator's state, to restore later with ``set_state``."""
        return self.rng.bit_generator.state

    def set_state(self, state: dict) -> "Generator":
        """Restore a state returned by ``get_state``."""
        self.rng.bit_generator.state = state
        return self


default_generator = Generator()


def manual_seed(seed: int) -> Generator:
    """Seed the global generator: every random creation and init after this is reproducible."""
    return default_generator.manual_seed(seed)


def seed() -> int:
    """Reseed the global generator from fresh entropy and return the seed."""
    return default_generator.seed()


def initial_seed() -> int:
    """The seed the global generator was last seeded with."""
    return default_generator.initial_seed()


def get_rng_state() -> dict:
    """The global generator's state."""
    return default_generator.get_state()


def set_rng_state(state: dict) -> None:
    """Restore the global generator's state."""
    default_generator.set_state(state)


def _rng(generator: Any = None) -> np.random.Generator:
    """The numpy Generator behind ``generator`` (the global one by default)."""
    return (generator or default_generator).rng


def _random_float_only(x: Tensor, kernel: str) -> None:
    """torch has no uniform/normal sampling kernel for integer and bool tensors."""
    if x._data.dtype.kind != "f":
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_dtype.legacy_name(x.dtype)}\'')


class RandomMethods:
    """The Tensor methods of in-place random sampling; minitorch/__init__.py joins them to Tensor."""

    def uniform_(self, a: float = 0.0, b: float = 1.0, generator: Any = None) -> "Tensor":
        """Fill with samples of U(a, b)."""
        _random_float_only(self, "check_uniform_bounds")
        if a > b:
            raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={a:g} > to={b:g}")
        vals = _rng(generator).uniform(a, b, self._data.shape)
        return run_inplace(self, None, lambda arr: np.copyto(arr, vals, casting="unsafe"))

    def normal_(self, mean: float = 0.0, std: float = 1.0, generator: Any = None) -> "Tensor":
        """Fill with samples of N(mean, std^2)."""
        _random_float_only(self, "normal_kernel_cpu")
        if std < 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
        vals = _rng(generator).normal(mean, std, self._data.shape)
        return run_inplace(self, None, lambda arr: np.copyto(arr, vals, casting="unsafe"))

    def bernoulli_(self, p: float = 0.5, generator: Any = None) -> "Tensor":
        """Fill with 1 with probability ``p`` (else 0)."""
        if isinstance(p, numbers.Number) and not 0 <= p <= 1:
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p}")

        vals = _rng(generator).random(self._data.shape) < p
        return run_inplace(self, None, lambda arr: np.copyto(arr, vals, casting="unsafe"))
