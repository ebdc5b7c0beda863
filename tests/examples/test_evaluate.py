"""examples/evaluate.py: scikit-learn's metrics, the confusion matrix, and save/load round trips."""
import os

import numpy as np
import pytest
from tests.examples.helpers import results, twins_ok


def test_evaluate_metrics_and_save_load_round_trip():
    from examples import evaluate

    assert evaluate.main(["--steps", "60", "--lr", "0.01", "--no-progress"]) == 0
    res = results("evaluate")
    for name in ("classifier", "regressor"):
        twins_ok(res[name])
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
