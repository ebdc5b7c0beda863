"""Helpers behind the DataLoader: how samples become batches (``collate``), how a batch is read from a
dataset (``fetch``), and the loop a worker process runs (``worker``)."""
from minitorch.utils.data._utils import collate, fetch, worker

__all__ = ["collate", "fetch", "worker"]
