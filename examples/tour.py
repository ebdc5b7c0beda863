"""The autograd tour (docs/autograd-tour.md): runs every code block of the page, section by section."""
from __future__ import annotations

import pathlib
import re

TOUR = pathlib.Path(__file__).resolve().parents[1] / "docs" / "autograd-tour.md"


def sections() -> list[tuple[str, list[str]]]:
    """(heading, code blocks) for each '## ' section of the tour, in order."""
    out: list[tuple[str, list[str]]] = []
    for part in re.split(r"^## ", TOUR.read_text(), flags=re.M):
        title = part.splitlines()[0].strip().lstrip('# ') if part.strip() else ""
        out.append((title, re.findall(r"```python\n(.*?)```", part, flags=re.S)))
    return [(t, b) for t, b in out if b]


def main(argv: list | None = None) -> int:
    """Execute the tour's blocks in one namespace and print one line per section."""
    namespace: dict = {}
    for title, blocks in sections():
        for block in blocks:
            exec(compile(block, str(TOUR), "exec"), namespace)
        print(f"ok  {title or '(setup)'}  ({len(blocks)} block{'s' if len(blocks) > 1 else ''})")
    print(f"\nRead it: {TOUR}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
