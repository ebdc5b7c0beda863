"""GPT-2 in minitorch: architecture, Hugging Face weights, cached generation, a byte-level GPT trained.

The byte-level GPT trains from scratch beside its PyTorch twin (``reference/gpt.py``).

``GPT.from_huggingface(GPT2LMHeadModel)`` and ``GPT.from_pretrained(directory)`` load GPT-2 weights
(``examples.harness.gpt2``); ``generate`` decodes greedily or samples with Hugging Face's temperature,
top-k and top-p rules (``examples.harness.sampling``). ``python -m examples gpt`` trains a byte-level
GPT on text that ships with Python, in minitorch and in PyTorch from identical weights.

    python -m examples gpt [--framework minitorch|torch|both] [--steps 600] [--n-layer 2] [--n-embd 64]
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict
from typing import Any

import numpy as np

import minitorch
from minitorch import nn
from minitorch.nn import functional as F
from examples.harness import cli, report
from examples.harness.gpt2 import GPTConfig, Pretrained, corpus, decode, encode, load_tokenizer, make_batches
from examples.harness.sampling import Generation, KVCache
from examples.harness.twin import Side, max_relative_difference, run_steps, sides


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
                k = minitorch.cat([cache.keys[layer], k], dim=2)
                v = minitorch.cat([cache.values[layer], v], dim=2)
            cache.keys[layer], cache.values[layer] = k, v
        mask = None
        if past and t > 1:  # new query i sits at position past + i and sees keys 0..past + i
            rows = minitorch.arange(t, device=x.device).unsqueeze(1) + past
            mask = rows >= minitorch.arange(past + t, device=x.device).unsqueeze(0)
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

    lib = minitorch

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
        pos = minitorch.arange(past, past + t, device=idx.device)
        x = tr.drop(tr.wte(idx) + tr.wpe(pos))
        for i, block in enumerate(tr.h):
            x = block(x, cache, i)
        return self.lm_head(tr.ln_f(x))


def train(side: Side, config: GPTConfig, batches: list, lr: float, seed: int, progress: bool = True) -> tuple:
    """One side's GPT (PyTorch's weights from ``seed``) trained on ``batches`` with AdamW; (model, curve)."""
    from reference.gpt import GPT as TorchGPT

    lib = side.lib
    model = side.model(seed, GPT, TorchGPT, config)
    model.train()
    optimizer = lib.optim.AdamW(model.parameters(), lr=lr)

    def step(i: int) -> float:
        x, y = batches[i]
        logits = model(side.tensor(x))
        loss = lib.nn.functional.cross_entropy(logits.reshape(-1, config.vocab_size), side.tensor(y).reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.item()

    return model, run_steps(side, step, len(batches), progress=progress)


def held_out_loss(side: Side, model: Any, batches: list, config: GPTConfig) -> float:
    """Mean cross-entropy (nats per byte) on held-out batches."""
    model.eval()
    with side.lib.no_grad():
        losses = [float(side.lib.nn.functional.cross_entropy(
            model(side.tensor(x)).reshape(-1, config.vocab_size), side.tensor(y).reshape(-1)).item())
            for x, y in batches]
    return float(np.mean(losses))


def continue_text(side: Side, model: Any, prompt: str, n_tokens: int, **kw: Any) -> str:
    """``prompt`` and ``n_tokens`` generated bytes; past the context length, each round keeps the last half
    window of bytes as the prompt of the next ``generate``."""
    tokens = encode(prompt)
    window = model.config.n_positions
    target = len(tokens) + n_tokens
    while len(tokens) < target:
        context = tokens[-(window // 2):]
        new = min(window - len(context), target - len(tokens))
        out = side.numpy(model.generate(side.tensor(context[None, :]), new, **kw))[0]
        tokens = np.concatenate([tokens, out[len(context):]])
    return decode(tokens)


def samples(side: Side, model: Any, prompt: str, n_tokens: int, seed: int) -> dict:
    """Continuations of ``prompt``: greedy, then sampled at several temperatures (and with top-k / top-p)."""
    model.eval()
    settings = {"greedy": {}, "temperature 0.5": dict(do_sample=True, temperature=0.5),
                "temperature 0.8": dict(do_sample=True, temperature=0.8),
                "temperature 1.0": dict(do_sample=True, temperature=1.0),
                "temperature 1.0, top_k 10, top_p 0.9": dict(do_sample=True, top_k=10, top_p=0.9)}
    out = {}
    for name, kw in settings.items():
        side.lib.manual_seed(seed)
        out[name] = continue_text(side, model, prompt, n_tokens, **kw)
    return out


def load_pretrained(path: str) -> tuple:
    """(minitorch GPT, tokenizer or None) from a local Hugging Face GPT-2 checkpoint directory."""
    return GPT.from_pretrained(path), load_tokenizer(path)


def main(argv: list[str] | None = None) -> int:
    """Train a byte-level GPT on Python's own docstrings in minitorch and/or PyTorch from identical weights."""
    p = cli.parser("gpt", main.__doc__, steps=600, batch_size=16)
    p.add_argument("--block-size", type=int, default=64, help="context length (n_positions)")
    p.add_argument("--n-layer", type=int, default=2)
    p.add_argument("--n-head", type=int, default=4)
    p.add_argument("--n-embd", type=int, default=64)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--sample-tokens", type=int, default=200)
    args = cli.parse(p, argv)
    data = encode(corpus())
    split = int(0.9 * len(data))
    config = GPTConfig(vocab_size=256, n_positions=args.block_size, n_embd=args.n_embd, n_layer=args.n_layer,
                       n_head=args.n_head)
    steps = cli.steps_of(args, split // (args.batch_size * args.block_size))
    batches = make_batches(data[:split], steps, args.batch_size, args.block_size, args.seed)
    held_out = make_batches(data[split:], 8, args.batch_size, args.block_size, args.seed + 1)
    tokens = steps * args.batch_size * args.block_size
    print(f"corpus: {len(data):,} bytes of Python's docstrings; GPT {asdict(config)}")
    out_dir = report.run_dir("gpt")
    results: dict = {"config": asdict(config), "steps": steps, "batch_size": args.batch_size}
    curves, models = [], {}
    for side in sides(args):
        model, curve = train(side, config, batches, args.lr, args.seed, not args.no_progress)
        val = held_out_loss(side, model, held_out, config)
        models[side.framework] = (side, model)
        curves.append(curve)
        losses, seconds = curve.losses, curve.seconds
        results[side.framework] = {"tokens_per_second": tokens / seconds, "seconds": seconds,
                                   "first_loss": losses[0], "final_loss": float(np.mean(losses[-10:])),
                                   "held_out_loss": val, "device": side.device}
        print(f"{side.framework:>9}: {tokens / seconds:10,.0f} tokens/s  loss {losses[0]:.3f} -> "
              f"{np.mean(losses[-10:]):.3f}  held-out {val:.3f} nats/byte ({seconds:.1f} s on {side.device})")
    if len(curves) == 2:
        diff = max_relative_difference(curves[0].losses, curves[1].losses, 20)
        results["max_relative_loss_difference_first_20_steps"] = diff
        print(f"losses agree over the first 20 steps: max relative difference {diff:.2e}")
    report.plot_curves(curves, os.path.join(out_dir, "loss.png"), "byte-level GPT on Python's docstrings")
    side, model = models["minitorch" if "minitorch" in models else "torch"]
    results["samples"] = samples(side, model, "Beautiful is", args.sample_tokens, args.seed)
    with open(os.path.join(out_dir, "samples.txt"), "w") as f:
        for name, text in results["samples"].items():
            block = f"--- {name}\n{text}\n"
            f.write(block + "\n")
            print(block)
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump(results, f, indent=2)
    print(f"loss curve, samples and results in {out_dir}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
