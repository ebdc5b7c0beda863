"""Helpers behind the DataLoader: how samples become batches (``collate``)."""
from minitorch.utils.data._utils import collate

__all__ = ["collate"]
