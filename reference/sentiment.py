"""The PyTorch twin of ``examples/sentiment.py``: the many-to-one sentiment LSTM in torch."""
from __future__ import annotations

from typing import Any

from torch import nn

from examples.harness.text import PAD


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
