"""examples/linear_regression.py: the line and the cubic are fitted and the twins agree."""
import numpy as np
from tests.examples.helpers import results, twins_ok


def test_line_and_cubic_fit_and_twins_agree():
    from examples import linear_regression

    assert linear_regression.main(["--steps", "60", "--no-progress"]) == 0
    res = results("linear_regression")
    for name in ("linear", "polynomial"):
        twins_ok(res[name])
        assert res[name]["minitorch"]["parameters"] == res[name]["torch"]["parameters"]


def test_polynomial_features_are_powers_built_with_cat():
    import minitorch

    from examples.linear_regression import PolynomialRegression

    model = PolynomialRegression(degree=3)
    with minitorch.no_grad():
        model.fc.weight.copy_(minitorch.tensor([[1.0, 10.0, 100.0]]))
        model.fc.bias.zero_()
    out = model(minitorch.tensor([[2.0], [-1.0]]))
    np.testing.assert_allclose(out.detach().numpy()[:, 0], [2 + 40 + 800, -1 + 10 - 100])
