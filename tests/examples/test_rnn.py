"""examples/rnn.py: stacked RNNCells and the row classifiers against their PyTorch twins."""
import numpy as np
import pytest
import torch

import minitorch
from examples import rnn
from reference import rnn as rnn_twins
from tests.examples.helpers import assert_twins_learn, both


def test_stacked_cells_compute_what_nn_rnn_computes():
    """The setattr-made cells, run step by step, equal a 2-layer nn.RNN with the same weights."""
    torch.manual_seed(0)
    reference = torch.nn.RNN(3, 5, 2)
    x = np.random.default_rng(0).standard_normal((7, 4, 3)).astype(np.float32)
    h0 = np.random.default_rng(1).standard_normal((2, 4, 5)).astype(np.float32)
    expected_out, expected_h = reference(torch.tensor(x), torch.tensor(h0))
    for lib, cls in ((minitorch, rnn.StackedRNNCells), (torch, rnn_twins.StackedRNNCells)):
        cells = cls(3, 5, 2, 1)
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
