"""The PyTorch twins of ``examples/language.py``: the N-gram model, the POS tagger and the sentiment LSTM in torch."""
from __future__ import annotations

from typing import Any

import torch
from torch import nn
from torch.nn import functional as F

from examples.harness.text import PAD


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
        out, _ = self.lstm(torch.cat([self.word_embeddings(words), char_feat], dim=2))
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
