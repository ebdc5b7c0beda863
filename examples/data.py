"""Data that exists offline: MNIST-1D (generated), scikit-learn's digits, MNIST from local files,
and text made by a small probabilistic grammar (which also yields part-of-speech tags)."""
from __future__ import annotations

import os
from typing import Any, Iterator

import numpy as np

CACHE = os.path.join("runs", "data")


def mnist1d(cache: bool = True) -> dict:
    """The MNIST-1D dataset exactly as the paper's code makes it (4000 train / 1000 test, length 40).

    ``make_dataset(get_dataset_args())`` regenerates it deterministically; the result is cached
    under ``runs/data/`` because generation takes a few seconds.
    """
    path = os.path.join(CACHE, "mnist1d.npz")
    if cache and os.path.exists(path):
        with np.load(path) as f:
            return {k: f[k] for k in f.files}
    from mnist1d.data import get_dataset_args, make_dataset

    d = make_dataset(get_dataset_args())
    out = {k: np.asarray(d[k]) for k in ("x", "y", "x_test", "y_test")}
    if cache:
        os.makedirs(CACHE, exist_ok=True)
        np.savez(path, **out)
    return out


def digits(test_fraction: float = 0.2, seed: int = 0) -> dict:
    """scikit-learn's 8x8 handwritten digits (1797 real images), scaled to [0, 1], split train/test."""
    from sklearn.datasets import load_digits

    d = load_digits()
    x = (d.images / 16.0).astype(np.float32)
    y = d.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(x))
    n_test = int(len(x) * test_fraction)
    test, train = order[:n_test], order[n_test:]
    return {"x": x[train], "y": y[train], "x_test": x[test], "y_test": y[test]}


def mnist(data_dir: str, train: bool = True, download: bool = False, transform: Any = None) -> Any:
    """torchvision's MNIST from ``data_dir`` (downloaded only when asked and possible)."""
    from torchvision import datasets, transforms

    if transform is None:
        transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    return datasets.MNIST(data_dir, train=train, download=download, transform=transform)


def batches(x: np.ndarray, y: np.ndarray, batch_size: int, shuffle: bool = False, seed: int = 0) -> Iterator:
    """Endless (x, y) minibatches: sequential like the MNIST-1D paper, or reshuffled each epoch."""
    rng = np.random.default_rng(seed)
    n = len(x)
    while True:
        order = rng.permutation(n) if shuffle else np.arange(n)
        for start in range(0, n - batch_size + 1 if shuffle else n, batch_size):
            idx = order[start:start + batch_size]
            yield x[idx], y[idx]


# ---------------------------------------------------------------------- text from a grammar
GRAMMAR = {
    "S": [(["NP", "VP"], 0.8), (["NP", "VP", "PP"], 0.2)],
    "NP": [(["DET", "NOUN"], 0.6), (["DET", "ADJ", "NOUN"], 0.3), (["PRON"], 0.1)],
    "VP": [(["VERB", "NP"], 0.6), (["VERB"], 0.2), (["VERB", "ADV"], 0.2)],
    "PP": [(["PREP", "NP"], 1.0)],
}
LEXICON = {
    "DET": ["the", "a", "every", "this"],
    "NOUN": ["cat", "dog", "model", "tensor", "river", "garden", "robot", "teacher"],
    "ADJ": ["small", "quick", "green", "deep", "happy", "sparse"],
    "PRON": ["she", "he", "it", "they"],
    "VERB": ["sees", "trains", "likes", "follows", "builds", "computes"],
    "ADV": ["quickly", "slowly", "well", "again"],
    "PREP": ["near", "under", "with", "behind"],
}


def sentence(rng: np.random.Generator, symbol: str = "S") -> list:
    """One sentence as a list of (word, tag) pairs, expanded from the grammar."""
    if symbol in LEXICON:
        words = LEXICON[symbol]
        return [(words[rng.integers(len(words))], symbol)]
    rules = GRAMMAR[symbol]
    probs = np.array([p for _, p in rules])
    parts = rules[rng.choice(len(rules), p=probs / probs.sum())][0]
    return [pair for part in parts for pair in sentence(rng, part)]


def tagged_corpus(n: int, seed: int = 0) -> list:
    """``n`` generated sentences with part-of-speech tags."""
    rng = np.random.default_rng(seed)
    return [sentence(rng) for _ in range(n)]


def python_text() -> str:
    """Prose that ships with Python itself (the Zen of Python and stdlib docstrings), read at run time."""
    import codecs
    import collections
    import contextlib
    import io
    import json as json_mod
    import textwrap

    with contextlib.redirect_stdout(io.StringIO()):  # importing `this` prints the Zen
        import this
    zen = codecs.decode(this.s, "rot13")
    docs = [m.__doc__ or "" for m in (collections, json_mod, textwrap, os)]
    return "\n".join([zen] + docs)
