"""examples/demo.py (`make demo`): the report is written and the first step's gradients agree."""
import os

from examples.harness import data


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
