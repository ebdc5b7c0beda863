"""Text that exists offline, and the arrays the language models read.

Sentences come from a small probabilistic grammar (which also yields part-of-speech tags) or from
prose that ships with Python (the Zen of Python and standard-library docstrings). ``ngrams``,
``tagging`` and ``sentiment`` turn them into the index arrays of the N-gram model, the tagger and
the sentiment classifier.
"""
from __future__ import annotations

import os
import re
from typing import Any

import numpy as np

PAD, UNK = 0, 1

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


def vocabulary(items: Any, reserved: tuple = ("<pad>", "<unk>")) -> dict:
    """Index of each distinct item, after the reserved entries, in sorted order."""
    return {w: i for i, w in enumerate(list(reserved) + sorted(set(items) - set(reserved)))}


def ngrams(context: int) -> dict:
    """(context words, next word) index pairs of the Python prose, with the vocabulary."""
    words = re.findall(r"[a-z]+", python_text().lower())
    vocab = vocabulary(words, reserved=())
    ids = np.array([vocab[w] for w in words], dtype=np.int64)
    x = np.stack([ids[i:len(ids) - context + i] for i in range(context)], axis=1)
    return {"x": x, "y": ids[context:], "vocab": vocab}


def tagging(n_train: int = 500, n_test: int = 100, seed: int = 0) -> dict:
    """Grammar sentences as padded word, character and tag arrays, split train/test."""
    corpus = tagged_corpus(n_train + n_test, seed)
    words = vocabulary(w for s in corpus for w, _ in s)
    chars = vocabulary((c for s in corpus for w, _ in s for c in w), reserved=("<pad>",))
    tags = vocabulary((t for s in corpus for _, t in s), reserved=())
    length = max(len(s) for s in corpus)
    width = max(len(w) for s in corpus for w, _ in s)
    n = len(corpus)
    w_ids = np.zeros((n, length), np.int64)
    c_ids = np.zeros((n, length, width), np.int64)
    last = np.zeros((n, length, width), np.float32)
    t_ids = np.full((n, length), -100, np.int64)
    for i, sent in enumerate(corpus):
        for j, (w, t) in enumerate(sent):
            w_ids[i, j], t_ids[i, j] = words[w], tags[t]
            c_ids[i, j, :len(w)] = [chars[c] for c in w]
            last[i, j, len(w) - 1] = 1.0
    split = {"train": slice(0, n_train), "test": slice(n_train, n)}
    out = {k: {"words": w_ids[s], "chars": c_ids[s], "last": last[s], "tags": t_ids[s]} for k, s in split.items()}
    return {**out, "words": words, "chars": chars, "tags": tags}


POSITIVE = ("good", "great", "happy", "lovely", "excellent")
NEGATIVE = ("bad", "awful", "sad", "terrible", "boring")


def sentiment(n: int, seed: int = 0) -> tuple:
    """``n`` grammar sentences with 1 or 3 sentiment words inserted (each maybe after ``not``), as
    left-padded token ids, labelled 1 when the signed sentiment sum is positive; and the vocabulary."""
    rng = np.random.default_rng(seed)
    sentences, labels = [], []
    for sent in tagged_corpus(n, seed):
        units = [[w] for w, _ in sent]
        score = 0
        for _ in range(rng.choice((1, 3))):
            positive = rng.random() < 0.5
            word = [POSITIVE, NEGATIVE][0 if positive else 1][rng.integers(5)]
            negated = rng.random() < 0.3
            score += (1 if positive else -1) * (-1 if negated else 1)
            units.insert(rng.integers(len(units) + 1), ["not", word] if negated else [word])
        sentences.append([w for unit in units for w in unit])
        labels.append(int(score > 0))
    vocab = vocabulary(w for s in sentences for w in s)
    x = np.zeros((n, max(len(s) for s in sentences)), np.int64)
    for i, s in enumerate(sentences):
        x[i, x.shape[1] - len(s):] = [vocab[w] for w in s]
    return x, np.array(labels, np.int64), vocab
