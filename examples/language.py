"""Language models of the source tutorials, each written once and trained in minitorch and PyTorch.

- ``ngram``: word embeddings + an N-gram language model (the previous ``context`` words predict the
  next) on prose that ships with Python; prints its perplexity and a greedy continuation.
- ``tagger``: an LSTM part-of-speech tagger whose word vectors are joined by character-level
  features (a character LSTM's last state for each word), on sentences of a small probabilistic
  grammar. Words are dropped to ``<unk>`` with probability 0.2 while training, so the tagger learns
  to fall back on spelling; it is tested on unseen sentences with and without 30% unknown words.
- ``sentiment``: a many-to-one LSTM that reads a generated sentence and says whether its sentiment
  words (``good``, ``awful``..., each flipped by a preceding ``not``) add up to positive.

    python -m examples language --model tagger --framework both
"""
from __future__ import annotations

import functools
import re
from types import SimpleNamespace
from typing import Any

import numpy as np

from examples import harness
from examples.data import batches, python_text, tagged_corpus
from examples.harness import Side

NAME = "language"
MODELS = ("ngram", "tagger", "sentiment")
PAD, UNK = 0, 1


@functools.cache
def models(lib: Any) -> SimpleNamespace:
    """The example's modules, defined on ``lib.nn.Module`` for ``lib`` = minitorch or torch."""
    nn = lib.nn
    F = nn.functional

    class NGramLanguageModeler(nn.Module):
        """log P(w_t | w_{t-context}..w_{t-1}) = log_softmax(W2 relu(W1 [e(w_{t-context}); ...] + b1) + b2)."""

        def __init__(self, vocab_size: int, embedding_dim: int, context_size: int, hidden: int = 128) -> None:
            super().__init__()
            self.embeddings = nn.Embedding(vocab_size, embedding_dim)
            self.linear1 = nn.Linear(context_size * embedding_dim, hidden)
            self.linear2 = nn.Linear(hidden, vocab_size)

        def forward(self, inputs: Any) -> Any:
            embeds = self.embeddings(inputs).view(inputs.shape[0], -1)
            return F.log_softmax(self.linear2(F.relu(self.linear1(embeds))), dim=1)

    class LSTMTagger(nn.Module):
        """Tag scores (B, L, tags) from word embeddings joined by a character LSTM's summary of each word.

        ``forward(words (B, L), chars (B, L, W), last (B, L, W))``: ``chars`` are each word's
        characters (0-padded) and ``last`` is one-hot at each word's last character, which picks the
        character LSTM's state after the whole word (padding after it never reaches that state).
        """

        def __init__(self, word_vocab: int, char_vocab: int, tagset_size: int, word_dim: int = 16,
                     char_dim: int = 8, char_hidden: int = 16, hidden_dim: int = 32) -> None:
            super().__init__()
            self.word_embeddings = nn.Embedding(word_vocab, word_dim, padding_idx=PAD)
            self.char_embeddings = nn.Embedding(char_vocab, char_dim, padding_idx=PAD)
            self.char_lstm = nn.LSTM(char_dim, char_hidden, batch_first=True)
            self.lstm = nn.LSTM(word_dim + char_hidden, hidden_dim, batch_first=True)
            self.hidden2tag = nn.Linear(hidden_dim, tagset_size)

        def forward(self, words: Any, chars: Any, last: Any) -> Any:
            b, length, width = chars.shape
            char_out, _ = self.char_lstm(self.char_embeddings(chars.reshape(b * length, width)))
            char_feat = (char_out * last.reshape(b * length, width, 1)).sum(dim=1).view(b, length, -1)
            out, _ = self.lstm(lib.cat([self.word_embeddings(words), char_feat], dim=2))
            return F.log_softmax(self.hidden2tag(out), dim=2)

    class SentimentClassifier(nn.Module):
        """Many-to-one: the LSTM's final hidden state after the whole (left-padded) sentence -> 2 logits."""

        def __init__(self, vocab_size: int, embedding_dim: int = 16, hidden_dim: int = 32) -> None:
            super().__init__()
            self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=PAD)
            self.lstm = nn.LSTM(embedding_dim, hidden_dim, batch_first=True)
            self.fc = nn.Linear(hidden_dim, 2)

        def forward(self, tokens: Any) -> Any:
            _, (h_n, _) = self.lstm(self.embedding(tokens))
            return self.fc(h_n[-1])

    return SimpleNamespace(NGramLanguageModeler=NGramLanguageModeler, LSTMTagger=LSTMTagger,
                           SentimentClassifier=SentimentClassifier)


# ---------------------------------------------------------------------------- data
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


# ---------------------------------------------------------------------------- training
def train_ngram(side: Side, args: Any, steps: int, context: int = 2) -> tuple:
    """The N-gram model with Adam and NLLLoss; returns its curve, perplexity and a greedy continuation."""
    lib = side.lib
    d = ngrams(context)
    model = side.model(lambda L: models(L).NGramLanguageModeler(len(d["vocab"]), 16, context), args.seed)
    opt = lib.optim.Adam(model.parameters(), lr=3e-3)
    loss_fn = lib.nn.NLLLoss()
    data = batches(d["x"], d["y"], args.batch_size, shuffle=True, seed=args.seed)

    def step(i: int) -> float:
        x, y = next(data)
        opt.zero_grad()
        loss = loss_fn(model(side.tensor(x)), side.tensor(y))
        loss.backward()
        opt.step()
        return loss.item()

    curve = harness.run_steps(side, step, steps, args=args)
    words = {i: w for w, i in d["vocab"].items()}
    with lib.no_grad():
        nll = float(loss_fn(model(side.tensor(d["x"])), side.tensor(d["y"])).item())
        ids = list(d["x"][0])
        for _ in range(12):
            ids.append(int(side.numpy(model(side.tensor(np.array([ids[-context:]])))).argmax()))
    return curve, {"train_perplexity": float(np.exp(nll)), "continuation": " ".join(words[i] for i in ids)}


def tag_inputs(side: Side, part: dict, idx: Any, unk_rate: float = 0.0, rng: Any = None) -> tuple:
    """The tagger's three inputs for the sentences ``idx``, with words replaced by <unk> at ``unk_rate``."""
    words = part["words"][idx]
    if unk_rate:
        words = np.where((words != PAD) & (rng.random(words.shape) < unk_rate), UNK, words)
    return side.tensor(words), side.tensor(part["chars"][idx]), side.tensor(part["last"][idx])


def tag_accuracy(side: Side, model: Any, part: dict, unk_rate: float, seed: int) -> float:
    """Fraction of real (unpadded) words whose highest-scoring tag is right."""
    everything = np.arange(len(part["words"]))
    with side.lib.no_grad():
        scores = side.numpy(model(*tag_inputs(side, part, everything, unk_rate, np.random.default_rng(seed))))
    mask = part["tags"] != -100
    return float((scores.argmax(-1) == part["tags"])[mask].mean())


def train_tagger(side: Side, args: Any, steps: int, word_dropout: float = 0.2) -> tuple:
    """The character-aware LSTM tagger with Adam and NLLLoss over real words (padding ignored)."""
    lib = side.lib
    d = tagging(seed=args.seed)
    train = d["train"]
    model = side.model(lambda L: models(L).LSTMTagger(len(d["words"]), len(d["chars"]), len(d["tags"])), args.seed)
    opt = lib.optim.Adam(model.parameters(), lr=1e-2)
    loss_fn = lib.nn.NLLLoss(ignore_index=-100)
    n = len(train["words"])
    data = batches(np.arange(n), np.arange(n), args.batch_size, shuffle=True, seed=args.seed)
    rng = np.random.default_rng(args.seed)

    def step(i: int) -> float:
        idx, _ = next(data)
        opt.zero_grad()
        scores = model(*tag_inputs(side, train, idx, word_dropout, rng))
        loss = loss_fn(scores.reshape(-1, scores.shape[-1]), side.tensor(train["tags"][idx].reshape(-1)))
        loss.backward()
        opt.step()
        return loss.item()

    curve = harness.run_steps(side, step, steps, args=args)
    return curve, {"test_accuracy": tag_accuracy(side, model, d["test"], 0.0, args.seed),
                   "test_accuracy_30pct_unknown_words": tag_accuracy(side, model, d["test"], 0.3, args.seed)}


def train_sentiment(side: Side, args: Any, steps: int) -> tuple:
    """The many-to-one sentiment LSTM with Adam and cross-entropy; returns its curve and test accuracy."""
    lib = side.lib
    x, y, vocab = sentiment(2500, args.seed)
    model = side.model(lambda L: models(L).SentimentClassifier(len(vocab)), args.seed)
    opt = lib.optim.Adam(model.parameters(), lr=1e-2)
    data = batches(x[:2000], y[:2000], args.batch_size, shuffle=True, seed=args.seed)

    curve = harness.run_steps(side, harness.classifier_step(side, model, opt, data), steps, args=args)
    return curve, {"test_accuracy": harness.accuracy(side, model, x[2000:], y[2000:])}


TRAIN = {"ngram": train_ngram, "tagger": train_tagger, "sentiment": train_sentiment}
DEFAULT_STEPS = {"ngram": 300, "tagger": 150, "sentiment": 300}
N_TRAIN = {"ngram": lambda: len(ngrams(2)["y"]), "tagger": lambda: 500, "sentiment": lambda: 2000}


def main(argv: list | None = None) -> int:
    """Train the chosen language models in the chosen frameworks and report side by side."""
    p = harness.parser("language", __doc__, batch_size=64)
    p.add_argument("--model", choices=MODELS + ("all",), default="all", help="which model (default: all)")
    args = harness.parse(p, argv)
    results = []
    for kind in MODELS if args.model == "all" else (args.model,):
        curves, info = [], {}
        for side in harness.sides(args):
            curve, info[side.framework] = TRAIN[kind](side, args, harness.steps_of(
                args, DEFAULT_STEPS[kind], N_TRAIN[kind]()))
            curves.append(curve)
            print(f"  {kind} {side.framework}: " + ", ".join(
                f"{k} {v:.3f}" if isinstance(v, float) else f"{k}: {v!r}" for k, v in info[side.framework].items()))
        results.append(harness.report(NAME, kind, curves, info))
    harness.finish(NAME, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
