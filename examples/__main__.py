"""The examples' command line: ``python -m examples <name> [options]``; ``python -m examples list``.

Each entry of ``EXAMPLES`` names a module with a ``main(argv) -> int``; the options after the name
(``--framework minitorch|torch|both``, ``--epochs``, ``--steps``, ``--device``, ``--data-dir``,
``--seed`` and the example's own) go to that function. Each entry of ``ALIASES`` names several
examples, run one after the other with the same options.
"""
from __future__ import annotations

import ast
import importlib
import importlib.util
import sys

EXAMPLES = {
    "demo": "examples.demo",
    "autograd": "examples.autograd_walkthrough",
    "tensor_basics": "examples.tensor_basics",
    "linear_regression": "examples.linear_regression",
    "logistic_regression": "examples.logistic_regression",
    "mlp": "examples.mlp",
    "lenet": "examples.lenet",
    "cnn": "examples.cnn",
    "evaluate": "examples.evaluate",
    "rnn": "examples.rnn",
    "grad_clipping": "examples.grad_clipping",
    "ngram": "examples.ngram",
    "pos_tagger": "examples.pos_tagger",
    "sentiment": "examples.sentiment",
    "gan": "examples.gan",
    "autoencoder": "examples.autoencoder",
    "vae": "examples.vae",
    "mnist1d_table": "examples.mnist1d_table",
    "gpt": "examples.gpt",
    "tour": "examples.tour",
    "augment": "examples.augment",
}

ALIASES = {"language": ("ngram", "pos_tagger", "sentiment")}


def summary(module: str) -> str:
    """The first line of a module's docstring, read from its source without importing it."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return "(missing)"
    with open(spec.origin, encoding="utf-8") as f:
        doc = ast.get_docstring(ast.parse(f.read())) or ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


def listing() -> str:
    """One line per example (its name and what it shows), then one per alias (the examples it runs)."""
    width = max(len(n) for n in (*EXAMPLES, *ALIASES))
    return "\n".join([f"  {name.ljust(width)}  {summary(mod)}" for name, mod in EXAMPLES.items()]
                     + [f"  {name.ljust(width)}  runs {', '.join(names)}" for name, names in ALIASES.items()])


def main(argv: list | None = None) -> int:
    """Dispatch ``argv[0]`` to its example's ``main(argv[1:])`` (an alias's examples in turn); the largest exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    usage = "usage: python -m examples <name> [--framework minitorch|torch|both] [--epochs N] [--steps N]" \
            " [--device cpu|cuda] [--data-dir DIR] [--seed S]\n       python -m examples <name> --help"
    if not argv or argv[0] in ("-h", "--help"):
        print(f"{usage}\n\nexamples:\n{listing()}")
        return 0
    name, rest = argv[0], argv[1:]
    if name == "list":
        print(listing())
        return 0
    if name not in EXAMPLES and name not in ALIASES:
        print(f"unknown example {name!r}; choose from: {', '.join([*EXAMPLES, *ALIASES])}\n\n{usage}",
              file=sys.stderr)
        return 2
    codes = [int(importlib.import_module(EXAMPLES[n]).main(rest) or 0) for n in ALIASES.get(name, (name,))]
    return max(codes)


if __name__ == "__main__":
    raise SystemExit(main())
