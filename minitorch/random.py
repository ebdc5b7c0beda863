"""Random number generation: one global numpy Generator, reseeded by ``manual_seed``."""
from __future__ import annotations

from typing import Any

import numpy as np


class Generator:
    """A source of random numbers (``torch.Generator``); ``manual_seed`` makes it reproducible."""

    def __init__(self, device: str = "cpu"):
        self._seed = int(np.random.SeedSequence().entropy % (2**63))
        self.rng = np.random.default_rng(self._seed)

    def manual_seed(self, seed: int) -> "Generator":
        self._seed = int(seed)
        self.rng = np.random.default_rng(self._seed)
        return self

    def initial_seed(self) -> int:
        return self._seed

    def seed(self) -> int:
        return self.manual_seed(int(np.random.SeedSequence().entropy % (2**63))).initial_seed()

    def get_state(self) -> dict:
        return self.rng.bit_generator.state

    def set_state(self, state: dict) -> "Generator":
        self.rng.bit_generator.state = state
        return self


default_generator = Generator()


def manual_seed(seed: int) -> Generator:
    """Seed the global generator: every random creation and init after this is reproducible."""
    return default_generator.manual_seed(seed)


def seed() -> int:
    return default_generator.seed()


def initial_seed() -> int:
    return default_generator.initial_seed()


def get_rng_state() -> dict:
    return default_generator.get_state()


def set_rng_state(state: dict) -> None:
    default_generator.set_state(state)


def _rng(generator: Any = None) -> np.random.Generator:
    """The numpy Generator behind ``generator`` (the global one by default)."""
    return (generator or default_generator).rng
