"""Complete PyTorch programs run unmodified under minitorch: only their import lines change.

Each program in tests/programs/ is a plain PyTorch script. It runs once as it is and once with its imports
swapped by ``swap_imports`` (the only edit), each in a fresh interpreter; both runs must finish, learn,
agree on the model's parameter count and state_dict keys, and restore a saved checkpoint exactly.
"""
from __future__ import annotations

import json
import os
import pathlib
import re
import subprocess
import sys

import pytest

PROGRAMS = pathlib.Path(__file__).parent / "programs"
ROOT = pathlib.Path(__file__).parent.parent

_IMPORTS = [
    (r"^import torch$", "import minitorch as torch"),
    (r"^import torch\.nn as nn$", "import minitorch.nn as nn"),
    (r"^import torch\.nn\.functional as F$", "import minitorch.nn.functional as F"),
    (r"^from torch\.utils\.data import ", "from minitorch.utils.data import "),
]


def swap_imports(source: str) -> str:
    """The program with its torch imports pointed at minitorch: the one change a user makes."""
    for pattern, replacement in _IMPORTS:
        source = re.sub(pattern, replacement, source, flags=re.M)
    return source


def _run(source: str, tmp_path: pathlib.Path, name: str, *args: str) -> dict:
    script = tmp_path / name
    script.write_text(source)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, env=env,
                          timeout=600)
    assert done.returncode == 0, f"{name} failed:\n{done.stderr[-3000:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("program", sorted(p.name for p in PROGRAMS.glob("train_*.py")))
def test_swap_imports_changes_only_the_import_lines(program):
    source = (PROGRAMS / program).read_text()
    swapped = swap_imports(source)
    changed = [(a, b) for a, b in zip(source.splitlines(), swapped.splitlines()) if a != b]
    assert len(changed) == 4 and all(a.lstrip().startswith(("import torch", "from torch")) for a, _ in changed)
    assert not re.search(r"^\s*(import|from) torch\b", swapped, flags=re.M)


def _run_both(program: str, tmp_path: pathlib.Path, *args: str) -> tuple[dict, dict]:
    source = (PROGRAMS / program).read_text()
    ours = _run(swap_imports(source), tmp_path, "minitorch_" + program, *args)
    theirs = _run(source, tmp_path, "torch_" + program, *args)
    assert ours["params"] == theirs["params"]
    assert ours["state_dict_keys"] == theirs["state_dict_keys"]
    return ours, theirs


def test_digits_cnn_trains_unmodified(tmp_path):
    ours, theirs = _run_both("train_digits_cnn.py", tmp_path, "3")
    assert [h["lr"] for h in ours["history"]] == pytest.approx([h["lr"] for h in theirs["history"]])
    first, last = ours["history"][0], ours["history"][-1]
    assert last["train_loss"] < first["train_loss"]
    # both frameworks learn the digits; minitorch within a few points of torch (different random draws)
    assert last["test_acc"] > 0.9 and last["test_acc"] > theirs["history"][-1]["test_acc"] - 0.05
    assert ours["restored_acc"] == last["test_acc"]


def test_char_transformer_trains_unmodified(tmp_path):
    ours, theirs = _run_both("train_char_transformer.py", tmp_path, "60")
    for run in (ours, theirs):
        assert run["first_loss"] > 0.9 * run["uniform_loss"] and run["last_loss"] < 0.6 * run["uniform_loss"]
        assert run["restored_same"] and run["sample"].startswith("the quick ")
    assert abs(ours["last_loss"] - theirs["last_loss"]) < 0.3


def test_packed_lstm_trains_unmodified(tmp_path):
    ours, theirs = _run_both("train_packed_lstm.py", tmp_path, "4")
    for run in (ours, theirs):
        assert run["history"][-1]["loss"] < 0.5 * run["history"][0]["loss"] + 0.1
        assert max(h["acc"] for h in run["history"]) > 0.85
        assert run["whole_module_refused"] and run["restored"][0] == run["restored"][1] == run["history"][-1]["acc"]
