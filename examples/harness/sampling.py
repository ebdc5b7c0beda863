"""How both GPT twins generate text: Hugging Face's sampling rules in numpy, the key/value cache,
and the ``generate`` loop, written once over the twin's library (``cls.lib``: minitorch or torch).
"""
from __future__ import annotations

from typing import Any

import numpy as np


def softmax(x: np.ndarray) -> np.ndarray:
    """exp(x) / sum(exp(x)) over the last axis (shifted by the row maximum for stability)."""
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def temperature_filter(scores: np.ndarray, temperature: float) -> np.ndarray:
    """scores / temperature (HF's ``TemperatureLogitsWarper``)."""
    if not isinstance(temperature, float) or not temperature > 0:
        raise ValueError(f"`temperature` (={temperature}) has to be a strictly positive float")
    return scores / scores.dtype.type(temperature)


def top_k_filter(scores: np.ndarray, top_k: int, filter_value: float = -float("inf"),
                 min_tokens_to_keep: int = 1) -> np.ndarray:
    """Scores below the k-th largest of their row become ``filter_value`` (HF's ``TopKLogitsWarper``; ties stay)."""
    if not isinstance(top_k, int) or top_k <= 0:
        raise ValueError(f"`top_k` has to be a strictly positive integer, but is {top_k}")
    k = min(max(top_k, min_tokens_to_keep), scores.shape[-1])
    kth = np.partition(scores, -k, axis=-1)[..., -k, None]
    return np.where(scores < kth, scores.dtype.type(filter_value), scores)


def top_p_filter(scores: np.ndarray, top_p: float, filter_value: float = -float("inf"),
                 min_tokens_to_keep: int = 1) -> np.ndarray:
    """Nucleus filtering (HF's ``TopPLogitsWarper``): sorted ascending, the tokens whose cumulative probability
    is <= 1 - top_p become ``filter_value``, keeping at least ``min_tokens_to_keep`` of the largest."""
    top_p = float(top_p)
    if top_p < 0 or top_p > 1.0:
        raise ValueError(f"`top_p` has to be a float > 0 and < 1, but is {top_p}")
    order = np.argsort(scores, axis=-1, kind="stable")
    cumulative = np.cumsum(softmax(np.take_along_axis(scores, order, axis=-1)), axis=-1)
    remove_sorted = cumulative <= scores.dtype.type(1 - top_p)
    remove_sorted[..., -min_tokens_to_keep:] = False
    remove = np.empty_like(remove_sorted)
    np.put_along_axis(remove, order, remove_sorted, axis=-1)
    return np.where(remove, scores.dtype.type(filter_value), scores)


def warp(scores: np.ndarray, temperature: float = 1.0, top_k: int | None = None,
         top_p: float | None = None) -> np.ndarray:
    """HF's sampling warpers in HF's order: temperature (unless 1.0), top-k (unless None/0), top-p (unless None/1.0)."""
    if temperature != 1.0:
        scores = temperature_filter(scores, float(temperature))
    if top_k is not None and top_k != 0:
        scores = top_k_filter(scores, top_k)
    if top_p is not None and top_p < 1.0:
        scores = top_p_filter(scores, top_p)
    return scores


class KVCache:
    """Keys and values of every position already processed, per layer, each (batch, n_head, time, head_dim).

    ``GPT.forward(idx, cache)`` appends the new positions to it, so the next call feeds only the new
    tokens: each costs the compute of one position (plus attending over the cache).
    """

    def __init__(self, n_layer: int) -> None:
        self.keys: list = [None] * n_layer
        self.values: list = [None] * n_layer

    def __len__(self) -> int:
        """The number of positions cached (by the last layer, which is updated last)."""
        return 0 if self.keys[-1] is None else int(self.keys[-1].shape[2])


class Generation:
    """``generate`` for a GPT twin: mixed into the ``GPT`` module of either framework (``lib``: minitorch or torch)."""

    lib: Any = None

    def generate(self, idx: Any, max_new_tokens: int, do_sample: bool = False, temperature: float = 1.0,
                 top_k: int | None = None, top_p: float | None = None, use_cache: bool = True) -> Any:
        """The prompt ``idx`` (B, T) followed by ``max_new_tokens`` tokens, as Hugging Face's ``generate``.

        Greedy (argmax) unless ``do_sample``; sampling draws with ``lib.multinomial`` (seeded by
        ``manual_seed``) from the logits warped like HF: temperature, then top-k, then top-p.
        ``use_cache`` feeds only the new token each step and keeps past keys/values in a KVCache.
        Dropout stays as the module's mode says: call ``eval()`` first, as with torch.
        """
        lib = self.lib
        if idx.shape[1] + max_new_tokens > self.config.n_positions:
            raise ValueError(
                f"GPT.generate: a prompt of {idx.shape[1]} tokens plus max_new_tokens={max_new_tokens} exceeds "
                f"n_positions={self.config.n_positions}"
            )
        tokens, cache = idx, KVCache(self.config.n_layer) if use_cache else None
        with lib.no_grad():
            feed = idx
            for _ in range(max_new_tokens):
                scores = self(feed, cache)[:, -1, :].detach().cpu().numpy().astype(np.float32)
                if do_sample:
                    probs = softmax(warp(scores, temperature, top_k, top_p).astype(np.float64))
                    nxt = lib.multinomial(lib.tensor(probs).to(idx.device), 1)
                else:
                    nxt = lib.tensor(scores.argmax(-1)).reshape(-1, 1).to(idx.device)
                tokens = lib.cat([tokens, nxt.to(idx.dtype)], dim=1)
                feed = nxt.to(idx.dtype) if use_cache else tokens
        return tokens
