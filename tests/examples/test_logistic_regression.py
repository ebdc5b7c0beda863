"""examples/logistic_regression.py: the blobs are separated, the twins agree, the hand gradient is autograd's."""
import numpy as np

from tests.examples.helpers import results, twins_ok


def test_logistic_fits_and_hand_gradient_matches_autograd():
    from examples import logistic_regression

    assert logistic_regression.main(["--steps", "60", "--no-progress"]) == 0
    res = results("logistic_regression")
    twins_ok(res)
    for fw in ("minitorch", "torch"):
        assert res[fw]["hand_gradient_gap"] < 1e-6
        assert res[fw]["accuracy"] > 0.85


def test_hand_gradient_gap_sees_a_wrong_gradient():
    import minitorch

    from examples.harness.twin import Side
    from examples.logistic_regression import LogisticRegression, blob_data, hand_gradient_gap

    x, y = blob_data(0, n=20)
    model = LogisticRegression()
    assert hand_gradient_gap(Side("minitorch"), model, x, y) < 1e-6
    model.linear.weight.register_hook(lambda g: g * 2)
    assert hand_gradient_gap(Side("minitorch"), model, x, y) > 1e-3
    assert isinstance(model.linear.weight, minitorch.Tensor) and np.isfinite(x).all()
