"""examples/gpt.py (and reference/gpt.py) against Hugging Face's GPT-2 (random weights built here, nothing downloaded) and the torch twin."""
import json
import os

import numpy as np
import pytest
import torch

transformers = pytest.importorskip("transformers")

import minitorch  # noqa: E402
from examples import gpt  # noqa: E402
from examples.gpt import GPT, GPTConfig, KVCache  # noqa: E402
from examples.harness import gpt2, sampling  # noqa: E402
from examples.harness.twin import Side  # noqa: E402
from reference.gpt import GPT as TorchGPT  # noqa: E402
from tests.parity import assert_close  # noqa: E402

from transformers.generation.logits_process import (  # noqa: E402
    LogitsProcessorList, TemperatureLogitsWarper, TopKLogitsWarper, TopPLogitsWarper,
)

SIZES = dict(vocab_size=61, n_positions=24, n_embd=16, n_layer=2, n_head=4)


def hf_model(dtype=torch.float32, seed=0, **kw):
    """A randomly initialised GPT2LMHeadModel; initializer_range 0.3 spreads the logits (no near-ties)."""
    torch.manual_seed(seed)
    cfg = transformers.GPT2Config(**{**SIZES, **kw}, resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0,
                                  initializer_range=0.3, bos_token_id=None, eos_token_id=None)
    return transformers.GPT2LMHeadModel(cfg).to(dtype).eval()


def ids(batch=3, length=10, seed=0):
    return np.random.default_rng(seed).integers(0, SIZES["vocab_size"], (batch, length))


def hf_logits(hf, tokens):
    with torch.no_grad():
        return hf(torch.tensor(tokens)).logits.numpy()


def logits(model, tokens):
    with minitorch.no_grad():
        return model(minitorch.tensor(tokens)).numpy()


# ------------------------------------------------------------------------------------------ Hugging Face parity
def test_logits_match_huggingface_float32():
    hf = hf_model()
    model = GPT.from_huggingface(hf)
    ref = hf_logits(hf, ids())
    assert np.abs(ref).max() > 1  # not a trivially small comparison
    np.testing.assert_allclose(logits(model, ids()), ref, atol=1e-4, rtol=0)
    assert model.lm_head.weight is model.transformer.wte.weight


def test_logits_match_huggingface_float64():
    hf = hf_model(torch.float64)
    model = GPT.from_huggingface(hf)
    assert model.lm_head.weight.dtype == minitorch.float64
    np.testing.assert_allclose(logits(model, ids()), hf_logits(hf, ids()), atol=1e-10, rtol=0)


def test_conv1d_weights_are_transposed():
    hf = hf_model()
    model = GPT.from_huggingface(hf)
    w = hf.transformer.h[1].attn.c_attn.weight.detach().numpy()
    np.testing.assert_array_equal(model.transformer.h[1].attn.c_attn.weight.detach().numpy(), w.T)


def test_torch_twin_loads_huggingface_too():
    hf = hf_model()
    model = TorchGPT.from_huggingface(hf)
    with torch.no_grad():
        out = model(torch.tensor(ids())).numpy()
    np.testing.assert_allclose(out, hf_logits(hf, ids()), atol=1e-4, rtol=0)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("use_cache", [True, False])
def test_greedy_tokens_identical_to_huggingface_generate(dtype, use_cache):
    hf = hf_model(dtype)
    prompt = ids(3, 5, seed=1)
    ref = hf.generate(torch.tensor(prompt), attention_mask=torch.ones(prompt.shape, dtype=torch.long),
                      max_new_tokens=12, do_sample=False, pad_token_id=0)
    out = GPT.from_huggingface(hf).generate(minitorch.tensor(prompt), 12, use_cache=use_cache)
    np.testing.assert_array_equal(out.numpy(), ref.numpy())
    assert out.dtype == minitorch.int64 and out.shape == (3, 17)


def test_sampling_with_top_k_1_is_greedy():
    hf = hf_model()
    model = GPT.from_huggingface(hf)
    prompt = minitorch.tensor(ids(2, 4))
    greedy = model.generate(prompt, 8)
    assert model.generate(prompt, 8, do_sample=True, temperature=0.7, top_k=1).equal(greedy)


def test_sampling_is_seeded_and_follows_the_warped_distribution():
    model = GPT.from_huggingface(hf_model())
    prompt = minitorch.tensor(ids(1, 4))
    minitorch.manual_seed(3)
    a = model.generate(prompt, 10, do_sample=True, top_p=0.8)
    minitorch.manual_seed(3)
    assert model.generate(prompt, 10, do_sample=True, top_p=0.8).equal(a)
    scores = logits(model, ids(1, 4))[:, -1].astype(np.float32)
    allowed = np.isfinite(sampling.warp(scores, 1.0, 5, None))[0]
    draws = [int(model.generate(prompt, 1, do_sample=True, top_k=5)[0, -1]) for _ in range(40)]
    assert all(allowed[d] for d in draws) and len(set(draws)) > 1


# ------------------------------------------------------------------------------------------ logits processors
@pytest.mark.parametrize("top_k", [1, 3, 50, 100])
def test_top_k_matches_huggingface(top_k):
    scores = np.random.default_rng(top_k).standard_normal((4, 61)).astype(np.float32)
    scores[0, :5] = scores[0, 10]  # ties at the k-th value are kept, as in HF
    ref = TopKLogitsWarper(top_k)(None, torch.tensor(scores)).numpy()
    np.testing.assert_array_equal(sampling.top_k_filter(scores, top_k), ref)


@pytest.mark.parametrize("top_p", [0.0, 0.1, 0.5, 0.9, 0.999, 1.0])
def test_top_p_matches_huggingface(top_p):
    scores = (3 * np.random.default_rng(7).standard_normal((4, 61))).astype(np.float32)
    ref = TopPLogitsWarper(top_p)(None, torch.tensor(scores)).numpy()
    np.testing.assert_array_equal(sampling.top_p_filter(scores, top_p), ref)


@pytest.mark.parametrize("temperature", [0.3, 1.0, 2.5])
def test_temperature_matches_huggingface(temperature):
    scores = np.random.default_rng(1).standard_normal((4, 61)).astype(np.float32)
    ref = TemperatureLogitsWarper(temperature)(None, torch.tensor(scores)).numpy()
    np.testing.assert_array_equal(sampling.temperature_filter(scores, temperature), ref)


def test_warper_chain_matches_huggingface_order():
    scores = (2 * np.random.default_rng(2).standard_normal((3, 61))).astype(np.float32)
    chain = LogitsProcessorList([TemperatureLogitsWarper(0.7), TopKLogitsWarper(20), TopPLogitsWarper(0.8)])
    ref = chain(None, torch.tensor(scores)).numpy()
    np.testing.assert_array_equal(sampling.warp(scores, 0.7, 20, 0.8), ref)


def test_warper_arguments_are_checked_like_huggingface():
    scores = np.zeros((1, 5), np.float32)
    for bad in (lambda: sampling.temperature_filter(scores, 0.0), lambda: sampling.top_k_filter(scores, 0),
                lambda: sampling.top_p_filter(scores, 1.5)):
        with pytest.raises(ValueError):
            bad()


# ------------------------------------------------------------------------------------------ KV cache
def test_kv_cache_gives_the_logits_of_the_full_sequence():
    hf = hf_model(torch.float64)
    model = GPT.from_huggingface(hf)
    tokens = ids(2, 12)
    full = logits(model, tokens)
    cache = KVCache(SIZES["n_layer"])
    with minitorch.no_grad():
        parts = [model(minitorch.tensor(tokens[:, :5]), cache)]  # prompt
        parts += [model(minitorch.tensor(tokens[:, i:i + 1]), cache) for i in range(5, 9)]  # one at a time
        parts.append(model(minitorch.tensor(tokens[:, 9:]), cache))  # several new tokens after a cache
    assert len(cache) == 12 and cache.keys[0].shape == (2, SIZES["n_head"], 12, SIZES["n_embd"] // SIZES["n_head"])
    np.testing.assert_allclose(np.concatenate([p.numpy() for p in parts], axis=1), full, atol=1e-12, rtol=0)


def test_cached_and_uncached_generation_agree_when_sampling():
    model = GPT.from_huggingface(hf_model(torch.float64))
    prompt = minitorch.tensor(ids(2, 3))
    runs = []
    for use_cache in (True, False):
        minitorch.manual_seed(5)
        runs.append(model.generate(prompt, 15, do_sample=True, temperature=1.3, use_cache=use_cache))
    assert runs[0].equal(runs[1])


# ------------------------------------------------------------------------------------------ training parity
@pytest.mark.parametrize("length", [9, SIZES["n_positions"]])
def test_loss_gradients_match_the_torch_twin(length):
    config = GPTConfig(**SIZES)
    models = {side.lib: side.model(0, GPT, TorchGPT, config) for side in (Side("minitorch", float64=True),
                                                                    Side("torch", float64=True))}
    x, y = ids(3, length), ids(3, length, seed=1)
    for lib, model in models.items():
        out = model(lib.tensor(x))
        lib.nn.functional.cross_entropy(out.reshape(-1, SIZES["vocab_size"]), lib.tensor(y).reshape(-1)).backward()
    ref = dict(models[torch].named_parameters())
    names = [n for n, _ in models[minitorch].named_parameters()]
    assert names == list(ref) and "lm_head.weight" not in names  # tied: one parameter
    for name, p in models[minitorch].named_parameters():
        assert_close(p.grad, ref[name].grad, atol=1e-10, rtol=1e-8, what=name)


def test_initialisation_follows_gpt2():
    model = GPT(GPTConfig(vocab_size=300, n_positions=64, n_embd=64, n_layer=4, n_head=4))
    std = lambda t: float(t.detach().numpy().std())  # noqa: E731
    assert abs(std(model.transformer.wte.weight) - 0.02) < 0.002
    assert abs(std(model.transformer.h[0].attn.c_proj.weight) - 0.02 / np.sqrt(8)) < 0.001
    assert (model.transformer.h[0].mlp.c_fc.bias.detach().numpy() == 0).all()
    assert (model.transformer.ln_f.weight.detach().numpy() == 1).all()


def test_state_dict_keys_are_huggingface_names():
    hf = hf_model()
    ours = set(GPT(GPTConfig(**SIZES)).state_dict())
    assert ours == set(hf.state_dict())


# ------------------------------------------------------------------------------------------ errors
def test_sequence_longer_than_n_positions():
    model = GPT(GPTConfig(**SIZES))
    with pytest.raises(ValueError, match="25 tokens.*n_positions=24"):
        model(minitorch.tensor(ids(1, 25)))
    cache = KVCache(SIZES["n_layer"])
    model(minitorch.tensor(ids(1, 20)), cache)
    with pytest.raises(ValueError, match=r"20 cached \+ 5 new"):
        model(minitorch.tensor(ids(1, 5)), cache)
    with pytest.raises(ValueError, match="max_new_tokens=20 exceeds n_positions=24"):
        model.generate(minitorch.tensor(ids(1, 5)), 20)


def test_n_embd_not_divisible_by_n_head():
    with pytest.raises(ValueError, match=r"n_embd \(10\) must be divisible by n_head \(4\)"):
        GPTConfig(n_embd=10, n_head=4)


def test_unknown_missing_and_untied_checkpoint_keys():
    state = {k: v.numpy() for k, v in hf_model().state_dict().items()}
    expected = GPT(GPTConfig(**SIZES)).state_dict().keys()
    with pytest.raises(ValueError, match="unexpected key.*transformer.h.0.attn.q_attn.weight"):
        gpt2.state_from_huggingface({**state, "transformer.h.0.attn.q_attn.weight": np.zeros(3)}, expected)
    missing = dict(state)
    del missing["transformer.h.1.ln_2.bias"]
    with pytest.raises(ValueError, match="missing key.*transformer.h.1.ln_2.bias"):
        gpt2.state_from_huggingface(missing, expected)
    with pytest.raises(ValueError, match="lm_head.weight differs"):
        gpt2.state_from_huggingface({**state, "lm_head.weight": state["lm_head.weight"] + 1}, expected)


def test_unsupported_huggingface_configuration():
    with pytest.raises(ValueError, match="activation_function='relu'"):
        GPT.from_huggingface(hf_model(activation_function="relu"))


# ------------------------------------------------------------------------------------------ local checkpoints
def test_save_pretrained_checkpoint_loads_with_tokenizer(tmp_path):
    from transformers.convert_slow_tokenizer import bytes_to_unicode

    hf = hf_model(vocab_size=257)
    hf.save_pretrained(tmp_path)
    assert gpt.load_pretrained(str(tmp_path))[1] is None  # no tokenizer files yet
    byte_chars = bytes_to_unicode()
    vocab = {byte_chars[b]: b for b in range(256)} | {"<|endoftext|>": 256}
    transformers.GPT2Tokenizer(vocab=vocab, merges=[]).save_pretrained(tmp_path)
    model, tokenizer = gpt.load_pretrained(str(tmp_path))
    prompt = tokenizer("Hi there").input_ids
    assert prompt == list(b"Hi there")
    np.testing.assert_allclose(logits(model, [prompt]), hf_logits(hf, [prompt]), atol=1e-4, rtol=0)
    text = tokenizer.decode(model.generate(minitorch.tensor([prompt]), 4)[0].tolist())
    assert text.startswith("Hi there")


def test_legacy_checkpoint_without_prefix_and_with_mask_buffers(tmp_path):
    from safetensors.numpy import save_file

    hf = hf_model()
    state = {k.removeprefix("transformer."): v.numpy() for k, v in hf.transformer.state_dict().items()}
    state["h.0.attn.bias"] = np.tril(np.ones((1, 1, 24, 24), np.float32))
    save_file(state, str(tmp_path / "model.safetensors"))
    (tmp_path / "config.json").write_text(json.dumps(hf.config.to_dict()))
    model = GPT.from_pretrained(str(tmp_path))
    np.testing.assert_allclose(logits(model, ids()), hf_logits(hf, ids()), atol=1e-4, rtol=0)
    os.remove(tmp_path / "model.safetensors")
    with pytest.raises(FileNotFoundError, match="model.safetensors"):
        GPT.from_pretrained(str(tmp_path))


# ------------------------------------------------------------------------------------------ training example
def test_corpus_is_python_text_and_bytes_round_trip():
    text = gpt2.corpus()
    assert text.startswith("The Zen of Python") and len(text) > 50_000
    assert gpt2.decode(gpt2.encode("naïve → ok")) == "naïve → ok"


def test_main_trains_both_frameworks_and_writes_results(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv = ["--steps", "4", "--batch-size", "2", "--block-size", "16", "--n-embd", "16", "--n-head", "2",
            "--n-layer", "1", "--sample-tokens", "5", "--no-progress"]
    assert gpt.main(argv) == 0
    results = json.loads((tmp_path / "runs/gpt/results.json").read_text())
    assert results["max_relative_loss_difference_first_20_steps"] < 1e-4
    assert results["minitorch"]["tokens_per_second"] > 0 and results["torch"]["tokens_per_second"] > 0
    assert set(results["samples"]) >= {"greedy", "temperature 0.5", "temperature 1.0"}
    assert (tmp_path / "runs/gpt/loss.png").stat().st_size > 0
    assert (tmp_path / "runs/gpt/samples.txt").read_text().startswith("--- greedy\nBeautiful is")
