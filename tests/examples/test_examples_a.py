"""The tutorial examples, part A (CLI, tensor basics, regression, MLP, CNN, evaluation, MNIST-1D table, demo).

Each example runs a few steps; the assertions are the ones that matter: the loss goes down, the
minitorch and PyTorch twins agree, shapes are right, a saved model reloads to the same predictions.
Every run writes under a temporary working directory (MNIST-1D stays cached in the repo's runs/data).
"""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from examples import data

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AGREE = 1e-4  # float32 twins of deterministic models, relative loss difference over 20 steps


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "CACHE", os.path.join(ROOT, "runs", "data"))
    monkeypatch.chdir(tmp_path)


def _results(name):
    with open(os.path.join("runs", name, "results.json")) as f:
        return json.load(f)


def _twins_ok(summary):
    assert summary["max_rel_diff_20"] < AGREE
    for fw in ("minitorch", "torch"):
        assert summary[fw]["last_loss"] < summary[fw]["first_loss"]


# ---------------------------------------------------------------------- CLI
def test_cli_lists_every_example_from_a_real_process():
    out = subprocess.run([sys.executable, "-m", "examples", "list"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    for name in ("demo", "autograd", "tensor_basics", "regression", "mlp", "cnn", "evaluate", "mnist1d_table"):
        assert name in out
    assert "(missing)" not in out


def test_cli_dispatch_and_errors(capsys):
    from examples.__main__ import EXAMPLES, main

    assert main(["nonexistent"]) == 2
    assert "unknown example 'nonexistent'" in capsys.readouterr().err
    assert main(["tensor_basics", "--framework", "minitorch"]) == 0
    assert "minitorch:" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["mlp", "--framework", "jax"])
    assert all(m.startswith("examples.") for m in EXAMPLES.values())


def test_cuda_request_without_gpu_is_a_clear_error():
    import torch

    from examples.cli import parser, torch_device

    if torch.cuda.is_available():
        pytest.skip("a GPU is present")
    with pytest.raises(SystemExit, match="no CUDA device"):
        torch_device(parser("x", None).parse_args(["--device", "cuda"]))


# ---------------------------------------------------------------------- 1. tensor basics
def test_tensor_basics_agree_in_value_shape_and_dtype():
    from examples import tensor_basics as tb

    rows = tb.run(("minitorch", "torch"))
    assert [r["name"] for r in rows if not r["agree"]] == []
    assert not tb.same([np.zeros(2, np.float32)], [np.zeros(2, np.float64)])  # a dtype difference is caught
    assert not tb.same([(2, 3)], [(3, 2)])


# ---------------------------------------------------------------------- 3. regression
def test_regression_fits_and_hand_gradient_matches_autograd():
    from examples import regression

    assert regression.main(["--steps", "60", "--no-progress"]) == 0
    res = _results("regression")
    for name in ("linear", "polynomial", "logistic"):
        _twins_ok(res[name])
    assert res["logistic"]["hand_gradient_gap_minitorch"] < 1e-6
    assert res["logistic"]["hand_gradient_gap_torch"] < 1e-6
    assert min(res["logistic"]["accuracy"].values()) > 0.85


def test_polynomial_features_are_powers_built_with_cat():
    import minitorch

    from examples.regression import polynomial_model

    model = polynomial_model(minitorch, degree=3)
    with minitorch.no_grad():
        model.fc.weight.copy_(minitorch.tensor([[1.0, 10.0, 100.0]]))
        model.fc.bias.zero_()
    out = model(minitorch.tensor([[2.0], [-1.0]]))
    np.testing.assert_allclose(out.detach().numpy()[:, 0], [2 + 40 + 800, -1 + 10 - 100])


# ---------------------------------------------------------------------- 4. MLP
def test_mlp_activations_train_and_twins_agree():
    from examples import mlp

    argv = ["--dataset", "digits", "--steps", "40", "--lr", "0.5", "--activations", "tanh", "maxout", "--no-progress"]
    assert mlp.main(argv) == 0
    res = _results("mlp")
    for name in ("TwoLayerNet", "tanh", "maxout"):
        _twins_ok(res[name])
        assert res[name]["minitorch"]["test_accuracy"] > 0.3


def test_maxout_is_the_max_over_pieces_in_both_frameworks():
    import minitorch
    import torch

    from examples.common import twin
    from examples.mlp import maxout

    x = np.random.default_rng(0).standard_normal((5, 6)).astype(np.float32)
    outs = {}
    for lib in (minitorch, torch):
        m = twin(lambda lib: maxout(lib, 6, 4, pieces=3), lib, seed=1)
        outs[lib.__name__] = m(lib.tensor(x)).detach().numpy()
    w, b = (p.detach().numpy() for p in twin(lambda lib: maxout(lib, 6, 4, pieces=3), torch, seed=1).parameters())
    expected = (x @ w.T + b).reshape(5, 4, 3).max(-1)
    assert outs["minitorch"].shape == (5, 4)
    np.testing.assert_allclose(outs["minitorch"], expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(outs["minitorch"], outs["torch"], rtol=1e-5, atol=1e-6)


def test_two_layer_net_clamp_is_relu():
    import minitorch

    from examples.mlp import two_layer_net

    net = two_layer_net(minitorch, 3, 4, 2)
    x = minitorch.randn(7, 3)
    expected = net.linear2(minitorch.nn.functional.relu(net.linear1(x)))
    np.testing.assert_allclose(net(x).detach().numpy(), expected.detach().numpy(), atol=1e-7)


# ---------------------------------------------------------------------- 5. CNN
@pytest.mark.parametrize("size", [32, 28])
def test_lenet5_shapes_and_twin_outputs(size):
    import minitorch
    import torch

    from examples.cnn import lenet5
    from examples.common import twin

    x = np.random.default_rng(0).standard_normal((3, 1, size, size)).astype(np.float32)
    ours, theirs = (twin(lambda lib: lenet5(lib, size), lib, seed=0) for lib in (minitorch, torch))
    assert "conv1.conv.weight" in ours.state_dict()  # the MyConv2d wrapper holds the conv
    a, b = ours(minitorch.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy()
    assert a.shape == (3, 10)
    np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_cnn_example_trains_and_surgery_agrees():
    from examples import cnn

    assert cnn.main(["--steps", "15", "--no-progress"]) == 0
    res = _results("cnn")
    _twins_ok(res["LeNet-5"])
    _twins_ok(res["CNNModel"])
    for fw in ("minitorch", "torch"):
        s = res["surgery"][fw]
        assert s["swapped"] == 2 and s["trainable"] == 32 * 2 * 2 * 5 + 5 and s["out_shape"] == [4, 5]
        assert s["frozen_have_no_grad"] and s["head_has_grad"]
        assert [t for _, t in s["after"]["modules"]].count("LeakyReLU") == 2
        for layer in s["init"].values():
            assert layer["bias_all_0.01"]
            assert abs(layer["std"] / layer["expected_std"] - 1) < 0.15


def _write_idx(folder, prefix, images, labels):
    import struct

    n, rows, cols = images.shape
    with open(os.path.join(folder, f"{prefix}-images-idx3-ubyte"), "wb") as f:
        f.write(struct.pack(">iiii", 2051, n, rows, cols) + images.astype(np.uint8).tobytes())
    with open(os.path.join(folder, f"{prefix}-labels-idx1-ubyte"), "wb") as f:
        f.write(struct.pack(">ii", 2049, n) + labels.astype(np.uint8).tobytes())


def test_cnn_reads_mnist_idx_files_from_data_dir(tmp_path):
    from examples import cnn

    raw = tmp_path / "mnist" / "MNIST" / "raw"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for prefix, n in (("train", 128), ("t10k", 32)):
        _write_idx(raw, prefix, rng.integers(0, 256, (n, 28, 28)), np.arange(n) % 10)
    assert cnn.main(["--data-dir", str(tmp_path / "mnist"), "--steps", "3", "--no-progress"]) == 0
    res = _results("cnn")
    assert res["data"] == {"dataset": "mnist", "size": 28, "train": 128, "test": 32}
    assert res["LeNet-5"]["max_rel_diff_20"] < AGREE and res["CNNModel"]["max_rel_diff_20"] < AGREE


# ---------------------------------------------------------------------- 10. evaluation
def test_evaluate_metrics_and_save_load_round_trip():
    from examples import evaluate

    assert evaluate.main(["--steps", "60", "--lr", "0.01", "--no-progress"]) == 0
    res = _results("evaluate")
    for name in ("classifier", "regressor"):
        _twins_ok(res[name])
        for fw in ("minitorch", "torch"):
            trip = res[name][fw]["round_trip"]
            assert trip["fresh_model_differs"] and trip["identical_after_load"]
        assert res[name]["minitorch"]["into_torch_max_abs_diff"] < 1e-4
    scores = res["classifier"]["minitorch"]["scores"]
    assert scores["accuracy"] > 0.8
    cm = np.array(res["classifier"]["confusion_matrix"]["minitorch"])
    assert np.isclose(np.trace(cm) / cm.sum(), scores["accuracy"])
    reg = res["regressor"]["minitorch"]["scores"]
    assert reg["rmse"] < reg["rmse_of_mean_predictor"]
    assert os.path.exists(os.path.join("runs", "evaluate", "confusion.png"))


def test_scores_match_their_definitions():
    from examples.evaluate import classification_scores, rmse

    y, p = np.array([0, 0, 1, 1, 2, 2]), np.array([0, 1, 1, 1, 2, 0])
    s = classification_scores(y, p)
    recall = np.mean([np.mean(p[y == c] == c) for c in range(3)])
    precision = np.mean([np.mean(y[p == c] == c) for c in range(3)])
    f1 = np.mean([2 * np.mean(p[y == c] == c) * np.mean(y[p == c] == c)
                  / (np.mean(p[y == c] == c) + np.mean(y[p == c] == c)) for c in range(3)])
    np.testing.assert_allclose([s["accuracy"], s["recall"], s["precision"], s["f1"]], [4 / 6, recall, precision, f1])
    assert rmse(np.array([1.0, 2.0]), np.array([2.0, 4.0])) == pytest.approx(np.sqrt(2.5))


# ---------------------------------------------------------------------- MNIST-1D table
def test_paper_models_have_the_papers_parameter_counts():
    import minitorch
    import torch

    from examples.mnist1d_table import MODELS

    expected = {"logistic": 40 * 10 + 10, "mlp": 40 * 100 + 100 + 100 * 100 + 100 + 100 * 10 + 10,
                "cnn": (25 * 5 + 25) + 2 * (25 * 25 * 3 + 25) + 125 * 10 + 10,
                "gru": 2 * (3 * 6 * 1 + 3 * 6 * 6 + 2 * 3 * 6) + 480 * 10 + 10}
    for name, factory in MODELS.items():
        for lib in (minitorch, torch):
            model = factory(lib)
            assert sum(p.numel() for p in model.parameters()) == expected[name], (name, lib.__name__)
            assert tuple(model(lib.zeros(3, 40)).shape) == (3, 10)


def test_table_follows_the_papers_loop_and_twins_agree():
    import torch

    from examples import mnist1d_table as table

    steps = 45  # past one pass over the 4000 samples (40 batches), to cover the wrap-around
    res = table.measure("both", steps, progress=False, print_rows=False)
    for name, row in res.items():
        assert row["max_rel_diff_20"] < AGREE, name
        assert row["paper"] == table.PAPER[name]
    # the paper's own loop (bix = step * 100 % 4000, loss, backward, step, zero_grad) gives torch's losses
    d = data.mnist1d()
    torch.manual_seed(0)
    model = table.linear_base(torch)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    x, y = torch.Tensor(d["x"]), torch.LongTensor(d["y"])
    paper = []
    for step in range(steps):
        bix = (step * 100) % len(x)
        loss = torch.nn.functional.cross_entropy(model(x[bix:bix + 100]), y[bix:bix + 100])
        paper.append(loss.item())
        loss.backward()
        opt.step()
        opt.zero_grad()
    np.testing.assert_allclose(res["logistic"]["torch"]["losses"], paper, rtol=1e-6)
    assert "| cnn | 94% |" in table.markdown(res)


# ---------------------------------------------------------------------- demo
def test_demo_writes_the_report(capsys):
    from examples import demo

    assert demo.main(["--steps", "25", "--table", "short", "--table-steps", "3", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "largest gradient difference at step 1" in out and "SHORTENED run: 3" in out
    with open(os.path.join("runs", "demo", "report.md")) as f:
        report = f.read()
    for heading in ("Gradients at step 1", "Losses step by step", "Time per step", "float64 gradcheck",
                    "MNIST-1D paper table", "shortened run: 3 of"):
        assert heading in report
    assert "FAILED" not in report
    assert os.path.exists(os.path.join("runs", "demo", "losses.png"))


def test_first_step_gradients_agree():
    from examples import demo

    d = data.mnist1d()
    for name, diff, scale in demo.first_step_gradients(0, d["x"][:100], d["y"][:100]):
        assert diff <= 1e-5 * scale, name
