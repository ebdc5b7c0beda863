"""What the two GPT twins share, in numpy: GPT-2's configuration, Hugging Face checkpoints (and the
class methods that load them), byte-level tokens and the training text.

``examples/gpt.py`` (minitorch) and ``reference/gpt.py`` (PyTorch) build the same network on top of this.
"""
from __future__ import annotations

import importlib
import inspect
import json
import os
import re
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from examples.harness.text import python_text


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



class Pretrained:
    """GPT-2 checkpoints for a GPT twin: mixed into the ``GPT`` module of either framework, whose ``lib``
    attribute (minitorch or torch) makes the tensors."""

    lib: Any = None

    @classmethod
    def from_huggingface(cls, hf_model: Any) -> Any:
        """The same network as a ``transformers`` ``GPT2LMHeadModel`` (weights read through ``__array__``)."""
        return cls._with_state(config_from_huggingface(hf_model.config), hf_model.state_dict())

    @classmethod
    def from_pretrained(cls, path: str) -> Any:
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
    def _with_state(cls, config: GPTConfig, state: Mapping[str, Any]) -> Any:
        model = cls(config)
        ours = state_from_huggingface(state, model.state_dict().keys())
        if ours["transformer.wte.weight"].dtype == np.float64:
            model = model.double()
        model.load_state_dict({k: cls.lib.tensor(v) for k, v in ours.items()})
        return model.eval()


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
