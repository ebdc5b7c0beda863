"""An LSTM part-of-speech tagger with character features in minitorch, trained beside its PyTorch twin (reference/pos_tagger.py).

Each word's vector is joined by character-level features (a character LSTM's last state for that
word), on sentences of a small probabilistic grammar. Words are dropped to ``<unk>`` with
probability 0.2 while training, so the tagger learns to fall back on spelling; it is tested on
unseen sentences with and without 30% unknown words.

    python -m examples pos_tagger --framework both --steps 150
"""
from __future__ import annotations

from typing import Any

import numpy as np

import minitorch
from minitorch import nn
from minitorch.nn import functional as F
from examples.harness import cli, report
from examples.harness.data import batches
from examples.harness.text import PAD, UNK, tagging
from examples.harness.twin import Side, run_steps, sides
from reference import pos_tagger as reference

NAME = "pos_tagger"
DEFAULT_STEPS = 150
N_TRAIN = 500


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


def main(argv: list | None = None) -> int:
    """Train the tagger in the chosen frameworks and report side by side."""
    p = cli.parser(NAME, __doc__, batch_size=64)
    args = cli.parse(p, argv)
    steps = cli.steps_of(args, N_TRAIN // args.batch_size, DEFAULT_STEPS)
    curves, info = [], {}
    for side in sides(args):
        curve, info[side.framework] = train_tagger(side, args, steps)
        curves.append(curve)
        print(f"  {side.framework}: " + ", ".join(f"{k} {v:.3f}" for k, v in info[side.framework].items()))
    report.finish(NAME, {"models": [report.summarize(NAME, "tagger", "POS tagger", curves, info)]})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
