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

    def exponential_(self, lambd: float = 1.0, *, generator: Any = None) -> "Tensor":
        """Fill with samples of Exp(lambd) (density lambd * exp(-lambd x))."""
        _continuous(self, "Exponential")
        if not lambd > 0:
            raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd}")
        return _fill(self, _rng(generator).exponential(1.0 / lambd, self._data.shape))

    def cauchy_(self, median: float = 0.0, sigma: float = 1.0, *, generator: Any = None) -> "Tensor":
        """Fill with samples of the Cauchy distribution (density 1 / (pi sigma (1 + ((x - median) / sigma)^2)))."""
        _continuous(self, "Cauchy")
        if not sigma > 0:
            raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={sigma}")
        return _fill(self, median + sigma * _rng(generator).standard_cauchy(self._data.shape))

    def log_normal_(self, mean: float = 1.0, std: float = 2.0, *, generator: Any = None) -> "Tensor":
        """Fill with exp(N(mean, std^2)) samples."""
        _random_float_only(self, "log_normal_cpu")
        if not std > 0:
            raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={std}")
        return _fill(self, _rng(generator).lognormal(mean, std, self._data.shape))

    def geometric_(self, p: float, *, generator: Any = None) -> "Tensor":
        """Fill with the number of Bernoulli(p) trials up to the first success (1, 2, ...); any dtype."""
        if not 0 < p < 1:
            raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={p}")
        return _fill(self, _rng(generator).geometric(p, self._data.shape))

    def random_(self, *args: Any, generator: Any = None, **kwargs: Any) -> "Tensor":
        """Fill with integers drawn uniformly: ``random_()`` from [0, the largest integer the dtype holds exactly],
        ``random_(to)`` from [0, to), ``random_(from, to)`` from [from, to) (``to=None``: up to that largest)."""
        if len(args) > 2:
            raise TypeError(f"random_() takes at most 2 positional arguments ({len(args)} given)")
        given = dict(zip(("to",) if len(args) == 1 else ("from", "to"), args))
        for k in list(kwargs):
            if k not in ("from", "to") or k in given:
                raise TypeError(f"random_() got an unexpected keyword argument '{k}'")
            given[k] = kwargs.pop(k)
        top = _random_top(self._data.dtype)
        low = given.get("from", 0)
        high = given.get("to")
        high = top + 1 if high is None else high
        if low >= high:
            raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
        info = np.iinfo(self._data.dtype) if self._data.dtype.kind in "iu" else None
        if info is not None and not (info.min <= low and high - 1 <= info.max):
            raise RuntimeError(f"{'from' if low < info.min else 'to - 1'} is out of bounds for "
                               f"{_C_NAMES[self._data.dtype.name]}")
        vals = _rng(generator).integers(low, high, self._data.shape, dtype=np.int64 if high <= 2 ** 63 else np.uint64)
        return _fill(self, vals)


_C_NAMES = {"uint8": "unsigned char", "int8": "signed char", "int16": "short", "int32": "int", "int64": "long"}
_TYPEID_NAMES = {"uint8": "unsigned char", "int8": "signed char", "int16": "short int", "int32": "int",
                 "int64": "long int", "bool": "bool"}


def _continuous(x: Tensor, name: str) -> None:
    """torch's error for a continuous distribution sampled into an integer or bool tensor (Cauchy's names the C++
    type, Exponential's the legacy one)."""
    if x._data.dtype.kind != "f":
        kind = _TYPEID_NAMES[x.dtype.name] if name == "Cauchy" else _dtype.legacy_name(x.dtype)
        raise RuntimeError(f"{name} distribution is a continuous probability distribution. dtype must be a floating "
                           f"point but you specified {kind}")


def _fill(x: Tensor, values: np.ndarray) -> Tensor:
    """Write sampled ``values`` into ``x`` in place (a new version; no gradient history)."""
    return run_inplace(x, None, lambda arr: np.copyto(arr, values, casting="unsafe"))


def _random_top(dt: np.dtype) -> int:
    """The largest integer ``random_()`` draws for a dtype: 2^(mantissa bits + 1) for floats, the max for ints."""
    if dt.kind == "f":
        return 2 ** (np.finfo(dt).nmant + 1)
    if dt.kind == "b":
        return 1
    return int(np.iinfo(dt).max)
