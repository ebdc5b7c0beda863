"""The PyTorch twin of ``examples/ngram.py``: the N-gram language model in torch."""
from __future__ import annotations

from typing import Any

from torch import nn
from torch.nn import functional as F


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
