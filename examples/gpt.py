"""GPT-2 in minitorch: the architecture, Hugging Face weights, generation with a key/value cache, and a
small byte-level GPT trained from scratch beside its PyTorch twin.

The model is written once against the API that minitorch and PyTorch share: ``model_class(lib)``
builds the ``GPT`` class on ``lib.nn`` (``GPT`` below is minitorch's; ``reference/gpt.py`` holds
torch's). ``GPT.from_huggingface(GPT2LMHeadModel)`` and ``GPT.from_pretrained(directory)`` load GPT-2
weights; ``generate`` decodes greedily or samples with Hugging Face's temperature, top-k and top-p
rules. ``python -m examples gpt`` trains a byte-level GPT on text that ships with Python.
"""
from __future__ import annotations

import functools
import importlib
import inspect
import json
import os
import re
import time
from dataclasses import asdict, dataclass
from typing import Any, Mapping

import numpy as np

import minitorch
from examples.cli import parse, parser, torch_device, total_steps
from examples.common import Curve, frameworks_of, lib_of, max_relative_difference, plot_curves, run_dir, twin
from examples.data import python_text


@dataclass
class GPTConfig:
    """GPT-2's sizes: vocabulary, context length (n_positions), width, depth, heads and dropout."""

    vocab_size: int = 50257
    n_positions: int = 1024
    n_embd: int = 768
    n_layer: int = 12
    n_head: int = 12
    dropout: float = 0.0
    layer_norm_epsilon: float = 1e-5

    def __post_init__(self) -> None:
        for name in ("vocab_size", "n_positions", "n_embd", "n_layer", "n_head"):
            if getattr(self, name) <= 0:
                raise ValueError(f"GPTConfig: {name} must be positive, got {getattr(self, name)}")
        if self.n_embd % self.n_head:
            raise ValueError(
                f"GPTConfig: n_embd ({self.n_embd}) must be divisible by n_head ({self.n_head}) so that each "
                "attention head has n_embd / n_head dimensions"
            )
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"GPTConfig: dropout must be in [0, 1), got {self.dropout}")


# ------------------------------------------------------------------------------------------ Hugging Face
_TANH_GELUS = ("gelu_new", "gelu_pytorch_tanh")
_CONV1D = ("attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight")
_HF_BUFFERS = re.compile(r"h\.\d+\.attn\.(bias|masked_bias)")


def config_from_huggingface(hf_config: Any) -> GPTConfig:
    """Our config from a ``transformers.GPT2Config`` or its ``config.json`` dict, rejecting variants we don't build."""
    def get(name: str, default: Any = None) -> Any:
        return hf_config.get(name, default) if isinstance(hf_config, dict) else getattr(hf_config, name, default)

    n_embd = get("n_embd")
    unsupported = {
        "model_type": get("model_type", "gpt2") != "gpt2",
        "activation_function": get("activation_function", "gelu_new") not in _TANH_GELUS,
        "n_inner": get("n_inner") not in (None, 4 * n_embd),
        "scale_attn_weights": not get("scale_attn_weights", True),
        "scale_attn_by_inverse_layer_idx": get("scale_attn_by_inverse_layer_idx", False),
        "add_cross_attention": get("add_cross_attention", False),
        "tie_word_embeddings": not get("tie_word_embeddings", True),
    }
    bad = [f"{k}={get(k)!r}" for k, flag in unsupported.items() if flag]
    if bad:
        raise ValueError(
            f"GPT: unsupported GPT-2 configuration {', '.join(bad)}; this model is GPT-2 with a tanh GELU, a 4x MLP, "
            "attention scaled by 1/sqrt(head_dim) and the output head tied to the token embedding"
        )
    return GPTConfig(vocab_size=get("vocab_size"), n_positions=get("n_positions"), n_embd=n_embd,
                     n_layer=get("n_layer"), n_head=get("n_head"), dropout=float(get("resid_pdrop", 0.0)),
                     layer_norm_epsilon=float(get("layer_norm_epsilon", 1e-5)))


def state_from_huggingface(state: Mapping[str, Any], expected: Any) -> dict:
    """Our state_dict from a GPT-2 state dict (``GPT2LMHeadModel``'s, ``GPT2Model``'s, or a safetensors file).

    Keys lose their ``transformer.`` prefix and map one to one; the ``Conv1D`` kernels of HF
    (x W + b, W of shape (in, out)) are transposed into ``Linear`` weights (out, in); the causal-mask
    buffers of old checkpoints are skipped; ``lm_head.weight`` must equal the token embedding.
    Unknown or missing keys raise a ValueError that names them.
    """
    expected = set(expected)
    out, unexpected = {}, []
    for key, value in state.items():
        name = key[len("transformer."):] if key.startswith("transformer.") else key
        if _HF_BUFFERS.fullmatch(name):
            continue
        ours = name if name == "lm_head.weight" else "transformer." + name
        if ours not in expected:
            unexpected.append(key)
            continue
        array = np.asarray(value)
        out[ours] = array.T if name.endswith(_CONV1D) else array
    if unexpected:
        raise ValueError(f"GPT: unexpected key(s) in the GPT-2 checkpoint: {', '.join(sorted(unexpected))}")
    missing = sorted(expected - out.keys() - {"lm_head.weight"})
    if missing:
        raise ValueError(f"GPT: missing key(s) in the GPT-2 checkpoint: {', '.join(missing)}")
    wte = out["transformer.wte.weight"]
    if "lm_head.weight" in out and not np.array_equal(out["lm_head.weight"], wte):
        raise ValueError("GPT: lm_head.weight differs from transformer.wte.weight; GPT ties the output head to wte")
    out["lm_head.weight"] = wte
    return out


def load_tokenizer(path: str) -> Any:
    """The checkpoint's tokenizer through ``transformers`` when its files are in ``path``, else None."""
    names = ("tokenizer.json", "vocab.json", "tokenizer_config.json")
    if not any(os.path.exists(os.path.join(path, n)) for n in names):
        return None
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(path)


# ------------------------------------------------------------------------------------------ sampling
def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def temperature_filter(scores: np.ndarray, temperature: float) -> np.ndarray:
    """scores / temperature (HF's ``TemperatureLogitsWarper``)."""
    if not isinstance(temperature, float) or not temperature > 0:
        raise ValueError(f"`temperature` (={temperature}) has to be a strictly positive float")
    return scores / scores.dtype.type(temperature)


def top_k_filter(scores: np.ndarray, top_k: int, filter_value: float = -float("inf"),
                 min_tokens_to_keep: int = 1) -> np.ndarray:
    """Scores below the k-th largest of their row become ``filter_value`` (HF's ``TopKLogitsWarper``; ties stay)."""
    if not isinstance(top_k, int) or top_k <= 0:
        raise ValueError(f"`top_k` has to be a strictly positive integer, but is {top_k}")
    k = min(max(top_k, min_tokens_to_keep), scores.shape[-1])
    kth = np.partition(scores, -k, axis=-1)[..., -k, None]
    return np.where(scores < kth, scores.dtype.type(filter_value), scores)


def top_p_filter(scores: np.ndarray, top_p: float, filter_value: float = -float("inf"),
                 min_tokens_to_keep: int = 1) -> np.ndarray:
    """Nucleus filtering (HF's ``TopPLogitsWarper``): sorted ascending, the tokens whose cumulative probability
    is <= 1 - top_p become ``filter_value``, keeping at least ``min_tokens_to_keep`` of the largest."""
    top_p = float(top_p)
    if top_p < 0 or top_p > 1.0:
        raise ValueError(f"`top_p` has to be a float > 0 and < 1, but is {top_p}")
    order = np.argsort(scores, axis=-1, kind="stable")
    cumulative = np.cumsum(_softmax(np.take_along_axis(scores, order, axis=-1)), axis=-1)
    remove_sorted = cumulative <= scores.dtype.type(1 - top_p)
    remove_sorted[..., -min_tokens_to_keep:] = False
    remove = np.empty_like(remove_sorted)
    np.put_along_axis(remove, order, remove_sorted, axis=-1)
    return np.where(remove, scores.dtype.type(filter_value), scores)


def warp(scores: np.ndarray, temperature: float = 1.0, top_k: int | None = None,
         top_p: float | None = None) -> np.ndarray:
    """HF's sampling warpers in HF's order: temperature (unless 1.0), top-k (unless None/0), top-p (unless None/1.0)."""
    if temperature != 1.0:
        scores = temperature_filter(scores, float(temperature))
    if top_k is not None and top_k != 0:
        scores = top_k_filter(scores, top_k)
    if top_p is not None and top_p < 1.0:
        scores = top_p_filter(scores, top_p)
    return scores


def _numpy(t: Any) -> np.ndarray:
    return t.detach().cpu().numpy()


class KVCache:
    """Keys and values of every position already processed, per layer, each (batch, n_head, time, head_dim).

    ``GPT.forward(idx, cache)`` appends the new positions to it, so the next call feeds only the new
    tokens: each costs the compute of one position (plus attending over the cache).
    """

    def __init__(self, n_layer: int) -> None:
        self.keys: list = [None] * n_layer
        self.values: list = [None] * n_layer

    def __len__(self) -> int:
        """The number of positions cached (by the last layer, which is updated last)."""
        return 0 if self.keys[-1] is None else int(self.keys[-1].shape[2])


# ------------------------------------------------------------------------------------------ the model
@functools.cache
def model_class(lib: Any) -> type:
    """The ``GPT`` class built on ``lib`` (minitorch or torch): the same code, either framework."""
    nn, F = lib.nn, lib.nn.functional

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
                    k = lib.cat([cache.keys[layer], k], dim=2)
                    v = lib.cat([cache.values[layer], v], dim=2)
                cache.keys[layer], cache.values[layer] = k, v
            mask = None
            if past and t > 1:  # new query i sits at position past + i and sees keys 0..past + i
                rows = lib.arange(t, device=x.device).unsqueeze(1) + past
                mask = rows >= lib.arange(past + t, device=x.device).unsqueeze(0)
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

    class GPT(nn.Module):
        """GPT-2: token + learned position embeddings, ``n_layer`` pre-LayerNorm blocks, a final LayerNorm
        and an output head tied to the token embedding; ``forward(idx)`` maps ids (B, T) to logits (B, T, V).

        Weights start as GPT-2's: N(0, 0.02), residual projections N(0, 0.02 / sqrt(2 n_layer)), zero biases.
        State-dict names follow Hugging Face's ``GPT2LMHeadModel`` (with ``Linear`` weights for its ``Conv1D``).
        """

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
            pos = lib.arange(past, past + t, device=idx.device)
            x = tr.drop(tr.wte(idx) + tr.wpe(pos))
            for i, block in enumerate(tr.h):
                x = block(x, cache, i)
            return self.lm_head(tr.ln_f(x))

        @classmethod
        def from_huggingface(cls, hf_model: Any) -> "GPT":
            """The same network as a ``transformers`` ``GPT2LMHeadModel`` (weights read through ``__array__``)."""
            config = config_from_huggingface(hf_model.config)
            return cls._with_state(config, hf_model.state_dict())

        @classmethod
        def from_pretrained(cls, path: str) -> "GPT":
            """A local Hugging Face checkpoint directory: ``config.json`` + ``model.safetensors``."""
            weights = os.path.join(path, "model.safetensors")
            for f in (os.path.join(path, "config.json"), weights):
                if not os.path.exists(f):
                    raise FileNotFoundError(f"GPT.from_pretrained: {f} not found (expected config.json and "
                                            "model.safetensors of a GPT-2 checkpoint)")
            with open(os.path.join(path, "config.json")) as f:
                config = config_from_huggingface(json.load(f))
            from safetensors.numpy import load_file

            return cls._with_state(config, load_file(weights))

        @classmethod
        def _with_state(cls, config: GPTConfig, state: Mapping[str, Any]) -> "GPT":
            model = cls(config)
            ours = state_from_huggingface(state, model.state_dict().keys())
            dtype = ours["transformer.wte.weight"].dtype
            if dtype == np.float64:
                model = model.double()
            model.load_state_dict({k: lib.tensor(v) for k, v in ours.items()})
            return model.eval()

        def generate(self, idx: Any, max_new_tokens: int, do_sample: bool = False, temperature: float = 1.0,
                     top_k: int | None = None, top_p: float | None = None, use_cache: bool = True) -> Any:
            """The prompt ``idx`` (B, T) followed by ``max_new_tokens`` tokens, as Hugging Face's ``generate``.

            Greedy (argmax) unless ``do_sample``; sampling draws with ``lib.multinomial`` (seeded by
            ``manual_seed``) from the logits warped like HF: temperature, then top-k, then top-p.
            ``use_cache`` feeds only the new token each step and keeps past keys/values in a KVCache.
            Dropout stays as the module's mode says: call ``eval()`` first, as with torch.
            """
            if idx.shape[1] + max_new_tokens > self.config.n_positions:
                raise ValueError(
                    f"GPT.generate: a prompt of {idx.shape[1]} tokens plus max_new_tokens={max_new_tokens} exceeds "
                    f"n_positions={self.config.n_positions}"
                )
            tokens, cache = idx, KVCache(self.config.n_layer) if use_cache else None
            with lib.no_grad():
                feed = idx
                for _ in range(max_new_tokens):
                    scores = _numpy(self(feed, cache)[:, -1, :]).astype(np.float32)
                    if do_sample:
                        probs = _softmax(warp(scores, temperature, top_k, top_p).astype(np.float64))
                        nxt = lib.multinomial(lib.tensor(probs).to(idx.device), 1)
                    else:
                        nxt = lib.tensor(scores.argmax(-1)).reshape(-1, 1).to(idx.device)
                    tokens = lib.cat([tokens, nxt.to(idx.dtype)], dim=1)
                    feed = nxt.to(idx.dtype) if use_cache else tokens
            return tokens

    return GPT


GPT = model_class(minitorch)


def load_pretrained(path: str) -> tuple:
    """(minitorch GPT, tokenizer or None) from a local Hugging Face GPT-2 checkpoint directory."""
    return GPT.from_pretrained(path), load_tokenizer(path)


# ------------------------------------------------------------------------------------------ training
_STDLIB = ("collections", "json", "textwrap", "functools", "itertools", "string", "random", "statistics",
           "fractions", "heapq", "bisect", "csv", "argparse", "pathlib", "shutil", "logging", "datetime",
           "calendar", "difflib", "dataclasses", "enum", "contextlib", "inspect", "pprint", "tempfile",
           "zipfile", "unittest", "subprocess", "threading", "pickle", "copy", "glob", "fnmatch", "re", "io")


def corpus() -> str:
    """Text that ships with Python, read at run time: the Zen of Python and the standard library's docstrings
    (modules, then their public classes and functions)."""
    parts = [python_text()]
    for name in _STDLIB:
        module = importlib.import_module(name)
        members = [getattr(module, a) for a in sorted(dir(module)) if not a.startswith("_")]
        own = [m for m in members if (inspect.isclass(m) or inspect.isfunction(m))
               and getattr(m, "__module__", None) == name]
        parts += [d for d in (inspect.getdoc(o) for o in [module] + own) if d]
    return "\n\n".join(dict.fromkeys(parts))


def encode(text: str) -> np.ndarray:
    """Byte-level tokens: the UTF-8 bytes of ``text`` (vocabulary of 256)."""
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8).astype(np.int64)


def decode(tokens: Any) -> str:
    """Text from byte-level tokens (invalid UTF-8 sequences become U+FFFD)."""
    return bytes(int(t) for t in tokens).decode("utf-8", errors="replace")


def make_batches(data: np.ndarray, steps: int, batch_size: int, block_size: int, seed: int) -> list:
    """``steps`` batches (x, y) of random windows of ``data``; y is x shifted by one token."""
    rng = np.random.default_rng(seed)
    offsets = np.arange(block_size + 1)
    out = []
    for _ in range(steps):
        window = data[rng.integers(0, len(data) - block_size - 1, batch_size)[:, None] + offsets]
        out.append((window[:, :-1], window[:, 1:]))
    return out


def _to(lib: Any, array: np.ndarray, device: Any) -> Any:
    t = lib.tensor(array)
    return t.to(device) if device is not None else t


def train_run(framework: str, config: GPTConfig, batches: list, lr: float, seed: int, device: Any = None,
              progress: bool = True) -> tuple:
    """Train the twin of ``framework`` on ``batches`` with AdamW; returns (model, losses, seconds)."""
    from tqdm import tqdm

    lib = lib_of(framework)
    model = twin(lambda l: model_class(l)(config), lib, seed)
    if device is not None:
        model = model.to(device)
    model.train()
    optimizer = lib.optim.AdamW(model.parameters(), lr=lr)
    losses = []
    t0 = time.perf_counter()
    for x, y in tqdm(batches, desc=f"{framework:>9}", leave=False, disable=None if progress else True):
        logits = model(_to(lib, x, device))
        loss = lib.nn.functional.cross_entropy(logits.reshape(-1, config.vocab_size),
                                               _to(lib, y, device).reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(float(loss.item()))
    return model, losses, time.perf_counter() - t0


def evaluate(lib: Any, model: Any, batches: list, config: GPTConfig, device: Any = None) -> float:
    """Mean cross-entropy (nats per byte) on held-out batches."""
    model.eval()
    with lib.no_grad():
        losses = [float(lib.nn.functional.cross_entropy(
            model(_to(lib, x, device)).reshape(-1, config.vocab_size), _to(lib, y, device).reshape(-1)).item())
            for x, y in batches]
    return float(np.mean(losses))


def continue_text(lib: Any, model: Any, prompt: str, n_tokens: int, device: Any = None, **kw: Any) -> str:
    """``prompt`` and ``n_tokens`` generated bytes; past the context length, each round keeps the last half
    window of bytes as the prompt of the next ``generate``."""
    tokens = encode(prompt)
    window = model.config.n_positions
    target = len(tokens) + n_tokens
    while len(tokens) < target:
        context = tokens[-(window // 2):]
        new = min(window - len(context), target - len(tokens))
        out = _numpy(model.generate(_to(lib, context[None, :], device), new, **kw))[0]
        tokens = np.concatenate([tokens, out[len(context):]])
    return decode(tokens)


def samples(lib: Any, model: Any, prompt: str, n_tokens: int, seed: int, device: Any = None) -> dict:
    """Continuations of ``prompt``: greedy, then sampled at several temperatures (and with top-k / top-p)."""
    model.eval()
    settings = {"greedy": {}, "temperature 0.5": dict(do_sample=True, temperature=0.5),
                "temperature 0.8": dict(do_sample=True, temperature=0.8),
                "temperature 1.0": dict(do_sample=True, temperature=1.0),
                "temperature 1.0, top_k 10, top_p 0.9": dict(do_sample=True, top_k=10, top_p=0.9)}
    out = {}
    for name, kw in settings.items():
        lib.manual_seed(seed)
        out[name] = continue_text(lib, model, prompt, n_tokens, device, **kw)
    return out


def main(argv: list[str] | None = None) -> int:
    """Train a byte-level GPT on Python's own docstrings in minitorch and/or PyTorch from identical weights."""
    p = parser("gpt", main.__doc__, steps=600)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--block-size", type=int, default=64, help="context length (n_positions)")
    p.add_argument("--n-layer", type=int, default=2)
    p.add_argument("--n-head", type=int, default=4)
    p.add_argument("--n-embd", type=int, default=64)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--sample-tokens", type=int, default=200)
    args = parse(p, argv)
    data = encode(corpus())
    split = int(0.9 * len(data))
    config = GPTConfig(vocab_size=256, n_positions=args.block_size, n_embd=args.n_embd, n_layer=args.n_layer,
                       n_head=args.n_head)
    steps = total_steps(args, split // (args.batch_size * args.block_size))
    batches = make_batches(data[:split], steps, args.batch_size, args.block_size, args.seed)
    held_out = make_batches(data[split:], 8, args.batch_size, args.block_size, args.seed + 1)
    tokens = steps * args.batch_size * args.block_size
    print(f"corpus: {len(data):,} bytes of Python's docstrings; GPT {asdict(config)}")
    out_dir = run_dir("gpt")
    results: dict = {"config": asdict(config), "steps": steps, "batch_size": args.batch_size}
    curves, models = [], {}
    for fw in frameworks_of(args.framework):
        device = None
        if fw == "torch":
            from reference.gpt import pick_device

            device = pick_device(torch_device(args))
        lib = lib_of(fw)
        model, losses, seconds = train_run(fw, config, batches, args.lr, args.seed, device, not args.no_progress)
        val = evaluate(lib, model, held_out, config, device)
        models[fw] = (lib, model, device)
        curves.append(Curve(fw, losses, seconds))
        results[fw] = {"tokens_per_second": tokens / seconds, "seconds": seconds, "first_loss": losses[0],
                       "final_loss": float(np.mean(losses[-10:])), "held_out_loss": val,
                       "device": str(device or "cpu")}
        print(f"{fw:>9}: {tokens / seconds:10,.0f} tokens/s  loss {losses[0]:.3f} -> {np.mean(losses[-10:]):.3f}  "
              f"held-out {val:.3f} nats/byte ({seconds:.1f} s on {device or 'cpu'})")
    if len(curves) == 2:
        diff = max_relative_difference(curves[0].losses, curves[1].losses, 20)
        results["max_relative_loss_difference_first_20_steps"] = diff
        print(f"losses agree over the first 20 steps: max relative difference {diff:.2e}")
    plot_curves(curves, os.path.join(out_dir, "loss.png"), "byte-level GPT on Python's docstrings")
    lib, model, device = models["minitorch" if "minitorch" in models else "torch"]
    results["samples"] = samples(lib, model, "Beautiful is", args.sample_tokens, args.seed, device)
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
