"""Every Python block of docs/autograd-tour.md runs, in order, in one namespace: the tour cannot rot."""
import pathlib
import re

import pytest

TOUR = pathlib.Path(__file__).resolve().parents[1] / "docs" / "autograd-tour.md"
BLOCKS = re.findall(r"```python\n(.*?)```", TOUR.read_text(), flags=re.S)


def test_tour_has_code():
    assert len(BLOCKS) >= 8


def test_every_block_runs_in_order():
    namespace: dict = {}
    for i, block in enumerate(BLOCKS):
        try:
            exec(compile(block, f"{TOUR.name}[block {i}]", "exec"), namespace)
        except Exception as e:  # pragma: no cover - the failure message is the point
            pytest.fail(f"block {i} of the tour failed: {e!r}\n{block}")


def test_tour_example_runs_every_section(capsys):
    from examples import tour

    assert tour.main([]) == 0
    out = capsys.readouterr().out
    assert out.count("ok  ") == len(tour.sections()) >= 10
