"""The PyTorch twin of ``examples/pos_tagger.py``: the character-aware LSTM tagger in torch."""
from __future__ import annotations

from typing import Any

import torch
from torch import nn
from torch.nn import functional as F

from examples.harness.text import PAD


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
        out, _ = self.lstm(torch.cat([self.word_embeddings(words), char_feat], dim=2))
        return F.log_softmax(self.hidden2tag(out), dim=2)
