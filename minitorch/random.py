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
