"""Word embeddings and an N-gram language model in minitorch, trained beside its PyTorch twin (reference/ngram.py).

The previous ``context`` words, embedded and joined, predict the next word of prose that ships with
Python (the Zen of Python and more). Prints the training perplexity and a greedy continuation.

    python -m examples ngram --framework both --steps 300
"""
from __future__ import annotations

from typing import Any

import numpy as np

from minitorch import nn
from minitorch.nn import functional as F
from examples.harness import cli, report
from examples.harness.data import batches
from examples.harness.text import ngrams
from examples.harness.twin import Side, run_steps, sides
from reference import ngram as reference

NAME = "ngram"
DEFAULT_STEPS = 300


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


def main(argv: list | None = None) -> int:
    """Train the N-gram model in the chosen frameworks and report side by side."""
    p = cli.parser(NAME, __doc__, batch_size=64)
    args = cli.parse(p, argv)
    steps = cli.steps_of(args, len(ngrams(2)["y"]) // args.batch_size, DEFAULT_STEPS)
    curves, info = [], {}
    for side in sides(args):
        curve, info[side.framework] = train_ngram(side, args, steps)
        curves.append(curve)
        print(f"  {side.framework}: train perplexity {info[side.framework]['train_perplexity']:.3f}, "
              f"continuation: {info[side.framework]['continuation']!r}")
    report.finish(NAME, {"models": [report.summarize(NAME, "ngram", "N-gram language model", curves, info)]})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
