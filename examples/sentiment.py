"""A many-to-one sentiment LSTM in minitorch, trained beside its PyTorch twin (reference/sentiment.py).

The LSTM reads a generated sentence and says whether its sentiment words (``good``, ``awful``...,
each flipped by a preceding ``not``) add up to positive; 2,000 sentences train it, 500 test it.

    python -m examples sentiment --framework both --steps 300
"""
from __future__ import annotations

from typing import Any

from minitorch import nn
from examples.harness import cli, report
from examples.harness.data import batches
from examples.harness.text import PAD, sentiment
from examples.harness.twin import Side, accuracy, run_steps, sides
from reference import sentiment as reference

NAME = "sentiment"
DEFAULT_STEPS = 300
N_TRAIN = 2000


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


def train_sentiment(side: Side, args: Any, steps: int) -> tuple:
    """The many-to-one sentiment LSTM with Adam and cross-entropy; returns its curve and test accuracy."""
    lib = side.lib
    x, y, vocab = sentiment(N_TRAIN + 500, args.seed)
    model = side.model(args.seed, SentimentClassifier, reference.SentimentClassifier, len(vocab))
    opt = lib.optim.Adam(model.parameters(), lr=1e-2)
    data = batches(x[:N_TRAIN], y[:N_TRAIN], args.batch_size, shuffle=True, seed=args.seed)

    def step(i: int) -> float:
        x, y = next(data)
        opt.zero_grad()
        loss = lib.nn.functional.cross_entropy(model(side.tensor(x)), side.tensor(y))
        loss.backward()
        opt.step()
        return loss.item()

    curve = run_steps(side, step, steps, progress=not args.no_progress)
    return curve, {"test_accuracy": accuracy(side, model, x[N_TRAIN:], y[N_TRAIN:])}


def main(argv: list | None = None) -> int:
    """Train the sentiment LSTM in the chosen frameworks and report side by side."""
    p = cli.parser(NAME, __doc__, batch_size=64)
    args = cli.parse(p, argv)
    steps = cli.steps_of(args, N_TRAIN // args.batch_size, DEFAULT_STEPS)
    curves, info = [], {}
    for side in sides(args):
        curve, info[side.framework] = train_sentiment(side, args, steps)
        curves.append(curve)
        print(f"  {side.framework}: test accuracy {info[side.framework]['test_accuracy']:.3f}")
    report.finish(NAME, {"models": [report.summarize(NAME, "sentiment", "sentiment LSTM", curves, info)]})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
