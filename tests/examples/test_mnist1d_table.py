"""examples/mnist1d_table.py: the paper's four models, its training loop, and the twins' agreement."""
import numpy as np

from examples.harness import data
from tests.examples.helpers import AGREE


def test_paper_models_have_the_papers_parameter_counts():
    import minitorch
    import torch

    from examples.mnist1d_table import MODELS
    from reference.mnist1d_table import MODELS as TORCH_MODELS

    expected = {"logistic": 40 * 10 + 10, "mlp": 40 * 100 + 100 + 100 * 100 + 100 + 100 * 10 + 10,
                "cnn": (25 * 5 + 25) + 2 * (25 * 25 * 3 + 25) + 125 * 10 + 10,
                "gru": 2 * (3 * 6 * 1 + 3 * 6 * 6 + 2 * 3 * 6) + 480 * 10 + 10}
    for name in MODELS:
        for lib, model in ((minitorch, MODELS[name]()), (torch, TORCH_MODELS[name]())):
            assert sum(p.numel() for p in model.parameters()) == expected[name], (name, lib.__name__)
            assert tuple(model(lib.zeros(3, 40)).shape) == (3, 10)


def test_table_follows_the_papers_loop_and_twins_agree():
    import torch

    from examples import mnist1d_table as table
    from reference.mnist1d_table import LinearBase

    steps = 45  # past one pass over the 4000 samples (40 batches), to cover the wrap-around
    res = table.measure("both", steps, progress=False, print_rows=False)
    for name, row in res.items():
        assert row["max_rel_diff_20"] < AGREE, name
        assert row["paper"] == table.PAPER[name]
    # the paper's own loop (bix = step * 100 % 4000, loss, backward, step, zero_grad) gives torch's losses
    d = data.mnist1d()
    torch.manual_seed(0)
    model = LinearBase()
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
