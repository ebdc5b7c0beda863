"""The tutorial examples, part B: recurrent networks, language models, GANs, autoencoders, and the
fast PyTorch reference trainer.

Each model trains a few steps in minitorch and in PyTorch from identical weights on identical
batches. What is asserted: the loss goes down; the float32 twins of deterministic models agree to
1e-4 (relative) over the first 20 steps; the GANs, whose alternating Adam steps amplify float32
rounding from step to step, agree to 1e-9 over 20 steps in float64 (and in float32 at step 1);
generated shapes are right; clipping brings the gradient norm to ``max_norm``; MNIST read from IDX
files through ``--data-dir`` trains. Every run writes under a temporary working directory.
"""
import json
import math
import os
import struct

import numpy as np
import pytest
import torch

import minitorch
from examples import autoencoder, data, gan, harness, language, rnn
from examples.common import max_relative_difference

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AGREE = 1e-4  # float32 twins of a deterministic model: relative loss difference over the first 20 steps


@pytest.fixture(scope="module", autouse=True)
def _one_thread():
    """Both frameworks on one CPU thread, as they are compared in the benchmarks (and faster on 2 shared cores)."""
    from threadpoolctl import threadpool_limits

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    with threadpool_limits(limits=1):
        yield
    torch.set_num_threads(before)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "CACHE", os.path.join(ROOT, "runs", "data"))
    monkeypatch.chdir(tmp_path)


def options(*argv):
    """Parsed example options (threads left alone: parse_args, not harness.parse)."""
    return harness.parser("test", "test", batch_size=32).parse_args(["--no-progress", *argv])


def both(train, *argv):
    """``train(side, args)`` for minitorch and for torch: {framework: its return value}."""
    args = options(*argv)
    return {side.framework: train(side, args) for side in harness.sides(args)}


def assert_twins_learn(curves, agree=AGREE):
    a, b = curves["minitorch"], curves["torch"]
    assert max_relative_difference(a.losses, b.losses) < agree
    for c in (a, b):
        assert np.all(np.isfinite(c.losses))
        assert np.mean(c.losses[-3:]) < np.mean(c.losses[:3]), f"{c.framework} did not learn: {c.losses}"


# ---------------------------------------------------------------------- 6. recurrent networks
def test_stacked_cells_compute_what_nn_rnn_computes():
    """The setattr-made cells, run step by step, equal a 2-layer nn.RNN with the same weights."""
    torch.manual_seed(0)
    reference = torch.nn.RNN(3, 5, 2)
    x = np.random.default_rng(0).standard_normal((7, 4, 3)).astype(np.float32)
    h0 = np.random.default_rng(1).standard_normal((2, 4, 5)).astype(np.float32)
    expected_out, expected_h = reference(torch.tensor(x), torch.tensor(h0))
    for lib in (minitorch, torch):
        cells = rnn.models(lib).StackedRNNCells(3, 5, 2, 1)
        missing, unexpected = cells.load_state_dict(
            {f"rnn{i}.{p}": lib.tensor(getattr(reference, f"{p}_l{i}").detach().numpy())
             for i in range(2) for p in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}, strict=False)
        assert sorted(missing) == ["fc.bias", "fc.weight"] and not unexpected
        cells.fc = lib.nn.Identity()
        out, h = cells(lib.tensor(x), lib.tensor(h0))
        np.testing.assert_allclose(out.detach().numpy(), expected_out.detach().numpy(), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(h.detach().numpy(), expected_h.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_stacked_cells_learn_sine_waves_of_changing_length():
    seqs = rnn.sine_batches(4, seed=0)
    lengths = {len(next(seqs)[0]) for _ in range(10)}
    assert len(lengths) > 1  # a different graph at different steps
    curves = both(lambda side, args: rnn.train_cells(side, args, 25)[0])
    assert_twins_learn(curves)


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_row_classifiers_twins_agree_and_learn(kind):
    d = rnn.sequences("digits")
    assert d["x"].shape[1:] == (8, 8)
    runs = both(lambda side, args: rnn.train_classifier(side, args, 25, kind, d))
    assert_twins_learn({fw: r[0] for fw, r in runs.items()})
    assert runs["minitorch"][1]["test_accuracy"] == pytest.approx(runs["torch"][1]["test_accuracy"], abs=0.01)


def test_clipping_brings_exploding_gradient_norm_to_max_norm():
    runs = both(lambda side, args: rnn.train_clipped(side, args, 6, max_norm=0.5)[0])
    for c in runs.values():
        before, after = np.array(c.metrics["norm_before"]), np.array(c.metrics["norm_after"])
        assert before[0] > 1e4  # it explodes
        clipped = before > 0.5
        np.testing.assert_allclose(after[clipped], 0.5, rtol=1e-4)
        np.testing.assert_allclose(after[~clipped], before[~clipped], rtol=1e-6)
        assert np.all(np.isfinite(c.losses))
    a, b = runs["minitorch"], runs["torch"]
    assert max_relative_difference(a.metrics["norm_before"], b.metrics["norm_before"]) < AGREE
    with np.errstate(over="ignore", invalid="ignore"):
        raw = both(lambda side, args: rnn.train_clipped(side, args, 3, clip=False)[0])
    for c in raw.values():  # without clipping one SGD step on that gradient ruins the model
        assert not np.isfinite(c.losses[-1]) or c.losses[-1] > 1e3 * c.losses[0]


# ---------------------------------------------------------------------- 7. language
def test_ngram_model_twins_agree_and_learn():
    runs = both(lambda side, args: language.train_ngram(side, args, 25))
    assert_twins_learn({fw: r[0] for fw, r in runs.items()})
    for _, info in runs.values():  # greedy continuation of the first two words of the Zen of Python
        assert info["continuation"].split()[:2] == ["the", "zen"] and len(info["continuation"].split()) == 14
        assert info["train_perplexity"] < len(language.ngrams(2)["vocab"])


def test_tagger_inputs_mark_each_words_last_character():
    d = language.tagging(n_train=20, n_test=5)
    train = d["train"]
    real = train["tags"] != -100
    assert np.all(train["last"].sum(-1)[real] == 1) and np.all(train["last"].sum(-1)[~real] == 0)
    last_char = (train["chars"] * train["last"]).sum(-1)[real]
    inverse = {i: c for c, i in d["chars"].items()}
    words = {i: w for w, i in d["words"].items()}
    assert [inverse[int(c)] for c in last_char] == [words[int(w)][-1] for w in train["words"][real]]


def test_tagger_twins_agree_and_learn():
    runs = both(lambda side, args: language.train_tagger(side, args, 25))
    assert_twins_learn({fw: r[0] for fw, r in runs.items()})
    assert runs["torch"][1]["test_accuracy"] > 0.5


def test_sentiment_labels_follow_the_words():
    x, y, vocab = language.sentiment(200, seed=3)
    words = {i: w for w, i in vocab.items()}
    for row, label in zip(x, y):
        tokens = [words[int(t)] for t in row if t != language.PAD]
        score = sum((1 if t in language.POSITIVE else -1) * (-1 if i and tokens[i - 1] == "not" else 1)
                    for i, t in enumerate(tokens) if t in language.POSITIVE + language.NEGATIVE)
        assert label == int(score > 0)
    assert 0.2 < y.mean() < 0.8


def test_sentiment_twins_agree_and_learn():
    runs = both(lambda side, args: language.train_sentiment(side, args, 25))
    assert_twins_learn({fw: r[0] for fw, r in runs.items()})


# ---------------------------------------------------------------------- 8. GANs
@pytest.mark.parametrize("kind, source, shape", [("mlp", "digits", (1, 28, 28)), ("mlp", "mnist1d", (40,)),
                                                 ("dcgan", "digits", (1, 28, 28))])
def test_gan_generates_the_data_shape(kind, source, shape):
    x = gan.images(source)
    assert x.shape[1:] == shape and x.min() >= -1 and x.max() <= 1
    make_g, make_d = gan.pair(kind, x.shape[1:])
    for lib in (minitorch, torch):
        g, d = make_g(lib), make_d(lib)
        with lib.no_grad():
            fake = g(lib.randn(5, gan.LATENT[kind]))
            p = d(fake)
        assert tuple(fake.shape) == (5, *shape)
        assert fake.abs().max().item() <= 1.0
        assert tuple(p.shape) == (5, 1) and 0 < p.min().item() and p.max().item() < 1


@pytest.mark.parametrize("kind, steps", [("mlp", 20), ("dcgan", 4)])
def test_gan_twins_agree_in_float64(kind, steps):
    x = gan.images("digits")[:512]
    runs = both(lambda side, args: gan.train_gan(side, args, steps, kind, x)[0], "--float64")
    a, b = runs["minitorch"], runs["torch"]
    assert max_relative_difference(a.losses, b.losses) < 1e-9
    assert max_relative_difference(a.metrics["d_loss"], b.metrics["d_loss"]) < 1e-9


def test_gan_twins_agree_in_float32_at_the_first_step_and_train():
    x = gan.images("digits")[:512]
    runs = both(lambda side, args: gan.train_gan(side, args, 20, "mlp", x))
    a, b = runs["minitorch"][0], runs["torch"][0]
    assert max_relative_difference(a.losses, b.losses, n=1) < 1e-5
    assert max_relative_difference(a.metrics["d_loss"], b.metrics["d_loss"], n=1) < 1e-5
    for c in (a, b):  # the discriminator learns to tell real from generated early on
        assert np.mean(c.metrics["d_loss"][-3:]) < np.mean(c.metrics["d_loss"][:3])
    samples = gan.sample(harness.Side("minitorch", minitorch, "cpu"), runs["minitorch"][1], "mlp", n=4)
    assert samples.shape == (4, 1, 28, 28)


# ---------------------------------------------------------------------- 9. autoencoders
def test_vae_loss_is_bce_plus_closed_form_kl():
    rng = np.random.default_rng(0)
    recon, x = rng.uniform(0.05, 0.95, (4, 6)), rng.uniform(0, 1, (4, 6))
    mu, logvar = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    bce = -(x * np.log(recon) + (1 - x) * np.log(1 - recon)).sum()
    kl = 0.5 * (np.exp(logvar) + mu ** 2 - 1 - logvar).sum()
    for lib in (minitorch, torch):
        t = [lib.tensor(a) for a in (recon, x, mu, logvar)]
        got = autoencoder.models(lib).vae_loss(t[0], t[1], t[2], t[3])
        assert float(got.item()) == pytest.approx((bce + kl) / 4, rel=1e-10)


def test_reparameterisation_passes_gradients_to_mu_and_logvar():
    for lib in (minitorch, torch):
        vae = autoencoder.models(lib).VAE(6, hidden=5, latent=2)
        mu = lib.tensor([[0.5, -1.0]], requires_grad=True)
        logvar = lib.tensor([[0.2, 0.4]], requires_grad=True)
        eps = lib.tensor([[1.5, -0.5]])
        vae.reparameterize(mu, logvar, eps).sum().backward()
        np.testing.assert_allclose(mu.grad.numpy(), [[1.0, 1.0]])
        np.testing.assert_allclose(logvar.grad.numpy(), 0.5 * np.array([[1.5, -0.5]]) * np.exp([[0.1, 0.2]]),
                                   rtol=1e-6)
        assert tuple(vae.reparameterize(mu, logvar).shape) == (1, 2)  # eps drawn with randn_like


@pytest.mark.parametrize("kind", ["ae", "vae"])
def test_autoencoder_twins_agree_and_learn(kind):
    d = autoencoder.flat_images("digits")
    runs = both(lambda side, args: autoencoder.TRAIN[kind](side, args, 25, d))
    assert_twins_learn({fw: r[0] for fw, r in runs.items()})
    for fw, (_, info, recon, samples) in runs.items():
        assert recon.shape == (8, 64) and recon.min() >= 0 and recon.max() <= 1
        if kind == "vae":
            assert samples.shape == (8, 64)
            np.testing.assert_allclose(samples, runs["torch"][3], atol=1e-4)


# ---------------------------------------------------------------------- the command line
@pytest.mark.parametrize("name, argv, files", [
    ("rnn", ["--model", "all"], ["loss_cells.png", "loss_clip.png", "loss_gru.png"]),
    ("language", ["--model", "all"], ["loss_ngram.png", "loss_tagger.png", "loss_sentiment.png"]),
    ("gan", ["--model", "mlp"], ["samples_mlp.png", "loss_mlp.png"]),
    ("autoencoder", ["--model", "all"], ["samples_vae.png", "reconstructions_ae.png"]),
])
def test_cli_runs_each_example_and_writes_results(name, argv, files, capsys):
    from examples.__main__ import EXAMPLES, main

    assert EXAMPLES[name] == f"examples.{name}"
    assert main([name, *argv, "--steps", "3", "--batch-size", "16", "--no-progress", "--threads", "1"]) == 0
    out = capsys.readouterr().out
    assert "largest relative difference over the first 20 steps" in out
    with open(os.path.join("runs", name, "results.json")) as f:
        results = json.load(f)["models"]
    for r in results:
        assert r["max_relative_difference_first_20_steps"]["loss"] < 1e-3
        assert r["minitorch"]["ms_per_step"] > 0 and r["torch"]["ms_per_step"] > 0
    for f in files:
        assert os.path.getsize(os.path.join("runs", name, f)) > 1000


def test_minitorch_refuses_cuda_clearly():
    with pytest.raises(SystemExit, match="minitorch runs on the CPU"):
        harness.sides(options("--framework", "minitorch", "--device", "cuda"))


# ---------------------------------------------------------------------- MNIST from IDX files
def write_idx(root, n_train=96, n_test=32, seed=0):
    """torchvision's raw MNIST layout with tiny random images; returns the train images and labels."""
    rng = np.random.default_rng(seed)
    raw = os.path.join(root, "MNIST", "raw")
    os.makedirs(raw)
    out = {}
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, n, dtype=np.uint8)
        with open(os.path.join(raw, f"{prefix}-images-idx3-ubyte"), "wb") as f:
            f.write(struct.pack(">IIII", 0x803, n, 28, 28) + images.tobytes())
        with open(os.path.join(raw, f"{prefix}-labels-idx1-ubyte"), "wb") as f:
            f.write(struct.pack(">II", 0x801, n) + labels.tobytes())
        out[prefix] = (images, labels)
    return out


def test_mnist_from_idx_files_through_data_dir(tmp_path):
    written = write_idx(str(tmp_path / "mnist"))
    d = harness.image_data("mnist", str(tmp_path / "mnist"))
    np.testing.assert_array_equal(d["x"], written["train"][0].astype(np.float32) / 255.0)
    np.testing.assert_array_equal(d["y_test"], written["t10k"][1])
    common = ["--data-dir", str(tmp_path / "mnist"), "--steps", "3", "--batch-size", "16", "--no-progress"]
    assert rnn.main(["--model", "lstm", *common]) == 0
    assert gan.main(["--model", "dcgan", *common]) == 0
    assert autoencoder.main(["--model", "vae", *common]) == 0
    with open(os.path.join("runs", "rnn", "results.json")) as f:
        lstm = json.load(f)["models"][0]
    assert lstm["model"] == "lstm" and math.isfinite(lstm["torch"]["last_loss"])
    with open(os.path.join("runs", "autoencoder", "results.json")) as f:
        assert json.load(f)["models"][0]["max_relative_difference_first_20_steps"]["loss"] < AGREE


def test_mnist_without_data_dir_says_what_is_needed():
    with pytest.raises(SystemExit, match="--data-dir"):
        harness.image_data("mnist", None)


# ---------------------------------------------------------------------- reference/train.py
@pytest.mark.parametrize("task, extra", [("vae", ["--amp"]), ("dcgan", []), ("tagger", ["--clip-grad-norm", "1.0"])])
def test_reference_trains_on_the_cpu(task, extra, tmp_path, capsys):
    from reference import train

    argv = [task, "--steps", "4", "--warmup", "1", "--log-every", "2", "--batch-size", "16", "--device", "cpu",
            "--results", str(tmp_path), "--save", str(tmp_path / "weights"), *extra]
    assert train.main(argv) == 0
    (path,) = tmp_path.glob(f"{task}_cpu*.json")
    result = json.loads(path.read_text())
    assert result["world_size"] == 1 and result["ms_per_step"] > 0 and math.isfinite(result["final_loss"])
    assert result["amp"] == ("--amp" in extra) and result["channels_last"] is False
    saved = torch.load(tmp_path / "weights" / "rank0.pt")
    assert set(saved) == ({"generator", "discriminator"} if task == "dcgan" else {"model"})
    assert f"{task} on cpu" in capsys.readouterr().out
