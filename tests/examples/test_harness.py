"""examples/harness: CUDA requests without a GPU, minitorch on the CPU only, MNIST read from IDX files."""
import json
import math
import os

import numpy as np
import pytest

from examples import gan, rnn, vae
from examples.harness import data
from examples.harness.twin import sides
from tests.examples.helpers import AGREE, options, write_idx


def test_cuda_request_without_gpu_is_a_clear_error():
    import torch

    from examples.harness.cli import torch_device

    if torch.cuda.is_available():
        pytest.skip("a GPU is present")
    with pytest.raises(SystemExit, match="no CUDA device"):
        torch_device("cuda")


def test_minitorch_refuses_cuda_clearly():
    with pytest.raises(SystemExit, match="minitorch runs on the CPU"):
        sides(options("--framework", "minitorch", "--device", "cuda"))


def test_mnist_from_idx_files_through_data_dir(tmp_path):
    written = write_idx(str(tmp_path / "mnist"))
    d = data.unit_images("mnist", str(tmp_path / "mnist"))
    np.testing.assert_array_equal(d["x"], written["train"][0].astype(np.float32) / 255.0)
    np.testing.assert_array_equal(d["y_test"], written["t10k"][1])
    common = ["--data-dir", str(tmp_path / "mnist"), "--steps", "3", "--batch-size", "16", "--no-progress"]
    assert rnn.main(["--model", "lstm", *common]) == 0
    assert gan.main(["--model", "dcgan", *common]) == 0
    assert vae.main(common) == 0
    with open(os.path.join("runs", "rnn", "results.json")) as f:
        lstm = json.load(f)["models"][0]
    assert lstm["model"] == "lstm" and math.isfinite(lstm["torch"]["last_loss"])
    with open(os.path.join("runs", "vae", "results.json")) as f:
        assert json.load(f)["models"][0]["max_rel_diff_20"] < AGREE


def test_mnist_without_data_dir_says_what_is_needed():
    with pytest.raises(SystemExit, match="--data-dir"):
        data.unit_images("mnist", None)
