"""examples/cnn.py: CNNModel trains beside its twin; layer surgery and init agree between frameworks."""
from tests.examples.helpers import results, twins_ok


def test_cnn_example_trains_and_surgery_agrees():
    from examples import cnn

    assert cnn.main(["--steps", "15", "--no-progress"]) == 0
    res = results("cnn")
    twins_ok(res)
    for fw in ("minitorch", "torch"):
        s = res["surgery"][fw]
        assert s["swapped"] == 2 and s["trainable"] == 32 * 2 * 2 * 5 + 5 and s["out_shape"] == [4, 5]
        assert s["frozen_have_no_grad"] and s["head_has_grad"]
        assert [t for _, t in s["after"]["modules"]].count("LeakyReLU") == 2
        for layer in s["init"].values():
            assert layer["bias_all_0.01"]
            assert abs(layer["std"] / layer["expected_std"] - 1) < 0.15
