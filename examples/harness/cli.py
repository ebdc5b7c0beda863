"""The options every example takes, parsed the same way everywhere.

``parser(name, doc, ...)`` gives an ``argparse`` parser with the shared options; an example adds its own
and calls ``parse(p, argv)``, which also limits both frameworks to ``--threads`` CPU threads (PyTorch's
intra-op threads and numpy's BLAS pool). ``steps_of`` turns ``--steps``/``--epochs`` into optimizer steps.
"""
from __future__ import annotations

import argparse


def parser(name: str, doc: str | None, steps: int | None = None, epochs: int | None = None,
           batch_size: int | None = None, framework: str = "both") -> argparse.ArgumentParser:
    """A parser for ``python -m examples <name>`` with the shared options and the example's defaults."""
    summary = doc.strip().splitlines()[0] if doc and doc.strip() else None
    p = argparse.ArgumentParser(prog=f"python -m examples {name}", description=summary)
    p.add_argument("--framework", choices=("minitorch", "torch", "both"), default=framework,
                   help="which framework trains; 'both' starts them from identical weights (default: %(default)s)")
    p.add_argument("--epochs", type=int, default=epochs, help="passes over the training data (default: %(default)s)")
    p.add_argument("--steps", type=int, default=steps, help="optimizer steps; overrides --epochs (default: %(default)s)")
    p.add_argument("--device", choices=("cpu", "cuda"), default="cpu",
                   help="where PyTorch runs; minitorch always runs on the CPU (default: %(default)s)")
    p.add_argument("--data-dir", default=None, help="a folder holding torchvision's MNIST, used where it applies")
    p.add_argument("--seed", type=int, default=0, help="seed of the starting weights (default: %(default)s)")
    p.add_argument("--threads", type=int, default=1,
                   help="CPU threads of PyTorch and of numpy's BLAS, the same for both (default: %(default)s)")
    p.add_argument("--float64", action="store_true",
                   help="train in double precision: both frameworks' losses then agree to ~1e-12")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bars")
    if batch_size is not None:
        p.add_argument("--batch-size", type=int, default=batch_size, help="minibatch size (default: %(default)s)")
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


def steps_of(args: argparse.Namespace, per_epoch: int, default: int | None = None) -> int:
    """``--steps`` when given, else ``--epochs`` passes of ``per_epoch`` steps, else ``default``."""
    if args.steps is not None:
        return int(args.steps)
    if args.epochs is not None:
        return max(1, int(args.epochs) * int(per_epoch))
    return int(default)


def torch_device(device: str) -> str:
    """The device PyTorch runs on, with a clear error when CUDA is asked for and absent."""
    if device == "cuda":
        import torch

        if not torch.cuda.is_available():
            raise SystemExit("--device cuda: PyTorch sees no CUDA device here; use --device cpu")
    return device
