"""The examples' command line: ``python -m examples list`` and dispatch to each example's ``main``."""
import os
import subprocess
import sys

import pytest

from tests.examples.conftest import ROOT
from tests.examples.helpers import results


def test_cli_lists_every_example_from_a_real_process():
    out = subprocess.run([sys.executable, "-m", "examples", "list"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    for name in ("demo", "autograd", "tensor_basics", "linear_regression", "logistic_regression", "mlp", "lenet",
                 "cnn", "evaluate", "mnist1d_table", "ngram", "pos_tagger", "sentiment", "grad_clipping", "vae",
                 "language"):
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


@pytest.mark.parametrize("name, argv, files", [
    ("rnn", ["--model", "all"], {"rnn": ["loss_cells.png", "loss_gru.png"]}),
    ("grad_clipping", [], {"grad_clipping": ["loss_clip.png"]}),
    ("language", [], {"ngram": ["loss_ngram.png"], "pos_tagger": ["loss_tagger.png"],
                      "sentiment": ["loss_sentiment.png"]}),
    ("gan", ["--model", "mlp"], {"gan": ["samples_mlp.png", "loss_mlp.png"]}),
    ("autoencoder", [], {"autoencoder": ["reconstructions_ae.png"]}),
    ("vae", [], {"vae": ["samples_vae.png", "reconstructions_vae.png"]}),
])
def test_cli_runs_each_example_and_writesresults(name, argv, files, capsys):
    from examples.__main__ import ALIASES, EXAMPLES, main

    assert all(EXAMPLES[run] == f"examples.{run}" for run in ALIASES.get(name, (name,)))
    assert main([name, *argv, "--steps", "3", "--batch-size", "16", "--no-progress", "--threads", "1"]) == 0
    out = capsys.readouterr().out
    assert "largest relative loss difference over the first 20 steps" in out
    for run, run_files in files.items():
        for r in results(run)["models"]:
            assert r["max_rel_diff_20"] < 1e-3
            assert r["minitorch"]["ms_per_step"] > 0 and r["torch"]["ms_per_step"] > 0
        for f in run_files:
            assert os.path.getsize(os.path.join("runs", run, f)) > 1000
