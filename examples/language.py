"""Language models of the source tutorials in minitorch, each trained beside its PyTorch twin (reference/language.py).

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

from typing import Any

import numpy as np

import minitorch
from minitorch import nn
from minitorch.nn import functional as F
from examples.harness import cli, report
from examples.harness.data import batches
from examples.harness.text import PAD, UNK, ngrams, sentiment, tagging
from examples.harness.twin import Side, accuracy, run_steps, sides
from reference import language as reference

NAME = "language"
MODELS = ("ngram", "tagger", "sentiment")


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
        out, _ = self.lstm(minitorch.cat([self.word_embeddings(words), char_feat], dim=2))
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



def train_ngram(side: Side, args: Any, steps: int, context: int = 2) -> tuple:
    """The N-gram model with Adam and NLLLoss; returns its curve, perplexity and a greedy continuation."""
    lib = side.lib
    d = ngrams(context)
    model = side.model(args.seed, NGramLanguageModeler, reference.NGramLanguageModeler, len(d["vocab"]), 16, context)
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

    curve = run_steps(side, step, steps, progress=not args.no_progress)
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
    model = side.model(args.seed, LSTMTagger, reference.LSTMTagger, len(d["words"]), len(d["chars"]), len(d["tags"]))
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

    curve = run_steps(side, step, steps, progress=not args.no_progress)
    return curve, {"test_accuracy": tag_accuracy(side, model, d["test"], 0.0, args.seed),
                   "test_accuracy_30pct_unknown_words": tag_accuracy(side, model, d["test"], 0.3, args.seed)}


def train_sentiment(side: Side, args: Any, steps: int) -> tuple:
    """The many-to-one sentiment LSTM with Adam and cross-entropy; returns its curve and test accuracy."""
    lib = side.lib
    x, y, vocab = sentiment(2500, args.seed)
    model = side.model(args.seed, SentimentClassifier, reference.SentimentClassifier, len(vocab))
    opt = lib.optim.Adam(model.parameters(), lr=1e-2)
    data = batches(x[:2000], y[:2000], args.batch_size, shuffle=True, seed=args.seed)

    def step(i: int) -> float:
        x, y = next(data)
        opt.zero_grad()
        loss = lib.nn.functional.cross_entropy(model(side.tensor(x)), side.tensor(y))
        loss.backward()
        opt.step()
        return loss.item()

    curve = run_steps(side, step, steps, progress=not args.no_progress)
    return curve, {"test_accuracy": accuracy(side, model, x[2000:], y[2000:])}


TRAIN = {"ngram": train_ngram, "tagger": train_tagger, "sentiment": train_sentiment}
DEFAULT_STEPS = {"ngram": 300, "tagger": 150, "sentiment": 300}
N_TRAIN = {"ngram": lambda: len(ngrams(2)["y"]), "tagger": lambda: 500, "sentiment": lambda: 2000}


def main(argv: list | None = None) -> int:
    """Train the chosen language models in the chosen frameworks and report side by side."""
    p = cli.parser("language", __doc__, batch_size=64)
    p.add_argument("--model", choices=MODELS + ("all",), default="all", help="which model (default: all)")
    args = cli.parse(p, argv)
    results = []
    for kind in MODELS if args.model == "all" else (args.model,):
        curves, info = [], {}
        for side in sides(args):
            curve, info[side.framework] = TRAIN[kind](side, args, cli.steps_of(
                args, N_TRAIN[kind]() // args.batch_size, DEFAULT_STEPS[kind]))
            curves.append(curve)
            print(f"  {kind} {side.framework}: " + ", ".join(
                f"{k} {v:.3f}" if isinstance(v, float) else f"{k}: {v!r}" for k, v in info[side.framework].items()))
        results.append(report.summarize(NAME, kind, f"{NAME}: {kind}", curves, info))
    report.finish(NAME, {"models": results})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
