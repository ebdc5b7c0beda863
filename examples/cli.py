"""The options every example takes, parsed the same way everywhere.

``parser(name, doc, steps=..., epochs=...)`` gives an ``argparse`` parser with the shared options;
an example adds its own and calls ``parse(p, argv)``, which also applies ``--threads`` to both
frameworks (PyTorch's intra-op threads and numpy's BLAS pool). ``total_steps(args, per_epoch)`` turns
``--epochs``/``--steps`` into a number of optimizer steps.
"""
from __future__ import annotations

import argparse
from typing import Any


def parser(name: str, doc: str | None, steps: int | None = None, epochs: int = 1,
           framework: str = "both") -> argparse.ArgumentParser:
    """A parser for ``python -m examples <name>`` with the shared options and the example's defaults."""
    summary = doc.strip().splitlines()[0] if doc and doc.strip() else None
    p = argparse.ArgumentParser(prog=f"python -m examples {name}", description=summary)
    p.add_argument("--framework", choices=("minitorch", "torch", "both"), default=framework,
                   help="which framework trains; 'both' starts them from identical weights (default: %(default)s)")
    p.add_argument("--epochs", type=int, default=epochs, help="passes over the training data (default: %(default)s)")
    p.add_argument("--steps", type=int, default=steps,
                   help="optimizer steps; overrides --epochs (default: %(default)s)")
    p.add_argument("--device", choices=("cpu", "cuda"), default="cpu",
                   help="where PyTorch runs; minitorch always runs on the CPU (default: %(default)s)")
    p.add_argument("--data-dir", default=None, help="a folder holding torchvision's MNIST, used where it applies")
    p.add_argument("--seed", type=int, default=0, help="seed of the starting weights (default: %(default)s)")
    p.add_argument("--threads", type=int, default=1,
                   help="CPU threads of PyTorch and of numpy's BLAS, the same for both (default: %(default)s)")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bars")
    return p


def parse(p: argparse.ArgumentParser, argv: list | None) -> argparse.Namespace:
    """``p.parse_args(argv)``, then both frameworks limited to ``--threads`` CPU threads."""
    args = p.parse_args(argv)
    set_threads(args.threads)
    return args


def set_threads(n: int) -> None:
    """Use ``n`` CPU threads in PyTorch and in the BLAS library under numpy (for the rest of the process)."""
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(n)
    threadpool_limits(n)


def total_steps(args: Any, per_epoch: int) -> int:
    """``--steps`` when given, else ``--epochs`` times the steps of one epoch."""
    return int(args.steps) if args.steps is not None else int(args.epochs) * int(per_epoch)


def torch_device(args: Any) -> str:
    """The device PyTorch runs on: ``--device``, with a clear error when CUDA is asked for and absent."""
    if args.device == "cuda":
        import torch

        if not torch.cuda.is_available():
            raise SystemExit("--device cuda: PyTorch sees no CUDA device here; use --device cpu")
    return args.device
