"""Data loading (floor 4): datasets, samplers, ``default_collate``, the ``DataLoader`` and its workers."""
from minitorch.utils.data._utils.collate import default_collate, default_convert
from minitorch.utils.data._utils.worker import get_worker_info
from minitorch.utils.data.dataloader import DataLoader
from minitorch.utils.data.dataset import ConcatDataset, Dataset, IterableDataset, Subset, TensorDataset, random_split
from minitorch.utils.data.sampler import (
    BatchSampler, RandomSampler, Sampler, SequentialSampler, SubsetRandomSampler,
)

__all__ = [
    "BatchSampler", "ConcatDataset", "DataLoader", "Dataset", "IterableDataset", "RandomSampler", "Sampler",
    "SequentialSampler", "Subset", "SubsetRandomSampler", "TensorDataset", "default_collate", "default_convert",
    "get_worker_info", "random_split",
]
