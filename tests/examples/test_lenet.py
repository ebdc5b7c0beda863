"""examples/lenet.py: LeNet-5 (with MyConv2d) against its PyTorch twin, on digits and on MNIST IDX files."""
import numpy as np
import pytest
from tests.examples.helpers import AGREE, results, twins_ok, write_idx


@pytest.mark.parametrize("size", [32, 28])
def test_lenet5_shapes_and_twin_outputs(size):
    import minitorch
    import torch

    from examples.harness.twin import Side
    from examples.lenet import LeNet5
    from reference.lenet import LeNet5 as TorchLeNet5

    x = np.random.default_rng(0).standard_normal((3, 1, size, size)).astype(np.float32)
    ours, theirs = (Side(fw).model(0, LeNet5, TorchLeNet5, size) for fw in ("minitorch", "torch"))
    assert "conv1.conv.weight" in ours.state_dict()  # the MyConv2d wrapper holds the conv
    a, b = ours(minitorch.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy()
    assert a.shape == (3, 10)
    np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_lenet_example_trains_and_twins_agree():
    from examples import lenet

    assert lenet.main(["--steps", "15", "--no-progress"]) == 0
    res = results("lenet")
    twins_ok(res)
    assert res["data"]["size"] == 32


@pytest.mark.parametrize("name", ["lenet", "cnn"])
def test_reads_mnist_idx_files_from_data_dir(name, tmp_path):
    import importlib

    write_idx(str(tmp_path / "mnist"), n_train=128, n_test=32, labels="cycle")
    example = importlib.import_module(f"examples.{name}")
    assert example.main(["--data-dir", str(tmp_path / "mnist"), "--steps", "3", "--no-progress"]) == 0
    res = results(name)
    assert res["data"] == {"dataset": "mnist", "size": 28, "train": 128, "test": 32}
    assert res["max_rel_diff_20"] < AGREE
