"""Utilities (floor 4): ``minitorch.utils.data`` for datasets, samplers and the DataLoader."""
from minitorch.utils import data

__all__ = ["data"]
