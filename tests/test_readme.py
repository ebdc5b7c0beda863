"""Every Python block of the README runs, in order: the README cannot drift from the code."""
import pathlib
import re

import pytest

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def test_readme_blocks_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    assert len(BLOCKS) >= 4
    for i, block in enumerate(BLOCKS):
        try:
            exec(compile(block, f"README.md[block {i}]", "exec"), namespace)
        except Exception as e:  # pragma: no cover - the failure message is the point
            pytest.fail(f"README block {i} failed: {e!r}\n{block}")
