"""The PyTorch twin of ``examples/gpt.py``: the same GPT-2 written in torch, plus device selection.

Module for module and name for name it is the minitorch model, so a ``state_dict`` moves between them
unchanged; ``GPT.from_huggingface`` / ``from_pretrained`` and ``generate`` work the same (they come from
``examples.harness.gpt2`` and ``examples.harness.sampling``, shared by both twins).
"""
from __future__ import annotations

from typing import Any

import torch
from torch import nn
from torch.nn import functional as F

from examples.harness.gpt2 import GPTConfig, Pretrained
from examples.harness.sampling import Generation, KVCache

__all__ = ["GPT", "GPTConfig", "KVCache", "pick_device"]


class CausalSelfAttention(nn.Module):
    """Masked multi-head self-attention with the query/key/value projections fused in ``c_attn``."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.n_head, self.n_embd, self.dropout = config.n_head, config.n_embd, config.dropout
        self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd)
        self.c_proj = nn.Linear(config.n_embd, config.n_embd)
        self.resid_dropout = nn.Dropout(config.dropout)

    def forward(self, x: Any, cache: KVCache | None = None, layer: int = 0) -> Any:
        b, t, c = x.shape
        q, k, v = (z.reshape(b, t, self.n_head, c // self.n_head).transpose(1, 2)
                   for z in self.c_attn(x).split(self.n_embd, dim=2))
        past = 0
        if cache is not None:
            if cache.keys[layer] is not None:
                past = cache.keys[layer].shape[2]
                k = torch.cat([cache.keys[layer], k], dim=2)
                v = torch.cat([cache.values[layer], v], dim=2)
            cache.keys[layer], cache.values[layer] = k, v
        mask = None
        if past and t > 1:  # new query i sits at position past + i and sees keys 0..past + i
            rows = torch.arange(t, device=x.device).unsqueeze(1) + past
            mask = rows >= torch.arange(past + t, device=x.device).unsqueeze(0)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=not past and t > 1,
                                           dropout_p=self.dropout if self.training else 0.0)
        return self.resid_dropout(self.c_proj(y.transpose(1, 2).reshape(b, t, c)))

class MLP(nn.Module):
    """Linear(n_embd -> 4 n_embd), tanh-approximated GELU, Linear back, dropout."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.c_fc = nn.Linear(config.n_embd, 4 * config.n_embd)
        self.gelu = nn.GELU(approximate="tanh")
        self.c_proj = nn.Linear(4 * config.n_embd, config.n_embd)
        self.dropout = nn.Dropout(config.dropout)

    def forward(self, x: Any) -> Any:
        return self.dropout(self.c_proj(self.gelu(self.c_fc(x))))

class Block(nn.Module):
    """A pre-LayerNorm transformer block: x + attn(ln_1(x)), then + mlp(ln_2(x))."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon)
        self.attn = CausalSelfAttention(config)
        self.ln_2 = nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon)
        self.mlp = MLP(config)

    def forward(self, x: Any, cache: KVCache | None = None, layer: int = 0) -> Any:
        x = x + self.attn(self.ln_1(x), cache, layer)
        return x + self.mlp(self.ln_2(x))

class GPT(nn.Module, Pretrained, Generation):
    """GPT-2: token + learned position embeddings, ``n_layer`` pre-LayerNorm blocks, a final LayerNorm
    and an output head tied to the token embedding; ``forward(idx)`` maps ids (B, T) to logits (B, T, V).

    Weights start as GPT-2's: N(0, 0.02), residual projections N(0, 0.02 / sqrt(2 n_layer)), zero biases.
    State-dict names follow Hugging Face's ``GPT2LMHeadModel`` (with ``Linear`` weights for its ``Conv1D``).
    """

    lib = torch

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.config = config
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(config.vocab_size, config.n_embd),
            wpe=nn.Embedding(config.n_positions, config.n_embd),
            drop=nn.Dropout(config.dropout),
            h=nn.ModuleList([Block(config) for _ in range(config.n_layer)]),
            ln_f=nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon),
        ))
        self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)
        self.lm_head.weight = self.transformer.wte.weight
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):
                nn.init.normal_(p, 0.0, 0.02 / (2 * config.n_layer) ** 0.5)
            elif name.endswith(("c_attn.weight", "c_fc.weight", "wte.weight", "wpe.weight")):
                nn.init.normal_(p, 0.0, 0.02)
            elif name.endswith(".bias"):
                nn.init.zeros_(p)

    def forward(self, idx: Any, cache: KVCache | None = None) -> Any:
        if idx.ndim != 2:
            raise ValueError(f"GPT: expected token ids of shape (batch, time), got {list(idx.shape)}")
        t = idx.shape[1]
        past = len(cache) if cache is not None else 0
        if past + t > self.config.n_positions:
            cached = f" ({past} cached + {t} new)" if past else ""
            raise ValueError(
                f"GPT: cannot process a sequence of {past + t} tokens{cached}: the model has "
                f"n_positions={self.config.n_positions} position embeddings"
            )
        tr = self.transformer
        pos = torch.arange(past, past + t, device=idx.device)
        x = tr.drop(tr.wte(idx) + tr.wpe(pos))
        for i, block in enumerate(tr.h):
            x = block(x, cache, i)
        return self.lm_head(tr.ln_f(x))


def pick_device(name: str = "auto") -> torch.device:
    """``auto``: CUDA if available, else Apple's MPS, else the CPU; any other name is passed to torch."""
    if name != "auto":
        return torch.device(name)
    if torch.cuda.is_available():
        return torch.device("cuda")
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")
