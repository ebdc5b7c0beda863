"""Fetchers: read one batch (or one sample) from a dataset, the same way in the main process and in workers.

A map-style fetcher turns a list of indices into ``collate_fn([dataset[i] for i in indices])`` (through
``__getitems__`` when the dataset has one); an iterable-style fetcher takes the next ``len(indices)``
samples from its own iterator over the dataset and raises ``StopIteration`` when the stream is done.
"""
from __future__ import annotations

from typing import Any, Callable

from minitorch.utils.data._utils.collate import CollateShapeError


class _BaseDatasetFetcher:
    def __init__(self, dataset: Any, auto_collation: bool, collate_fn: Callable, drop_last: bool) -> None:
        self.dataset = dataset
        self.auto_collation = auto_collation
        self.collate_fn = collate_fn
        self.drop_last = drop_last

    def fetch(self, possibly_batched_index: Any) -> Any:
        raise NotImplementedError


class _IterableDatasetFetcher(_BaseDatasetFetcher):
    """Batches from one iterator over the dataset (each worker holds its own replica and iterator)."""

    def __init__(self, dataset: Any, auto_collation: bool, collate_fn: Callable, drop_last: bool) -> None:
        super().__init__(dataset, auto_collation, collate_fn, drop_last)
        self.dataset_iter = iter(dataset)
        self.ended = False

    def fetch(self, possibly_batched_index: Any) -> Any:
        if self.ended:
            raise StopIteration
        if not self.auto_collation:
            return self.collate_fn(next(self.dataset_iter))
        data = []
        for _ in possibly_batched_index:
            try:
                data.append(next(self.dataset_iter))
            except StopIteration:
                self.ended = True
                break
        if not data or (self.drop_last and len(data) < len(possibly_batched_index)):
            raise StopIteration
        return self.collate_fn(data)


class _MapDatasetFetcher(_BaseDatasetFetcher):
    """``collate_fn`` of the samples at the given indices; a shape mismatch names the dataset index."""

    def fetch(self, possibly_batched_index: Any) -> Any:
        if not self.auto_collation:
            return self.collate_fn(self.dataset[possibly_batched_index])
        indices = possibly_batched_index
        getitems = getattr(self.dataset, "__getitems__", None)
        samples = getitems(indices) if callable(getitems) else [self.dataset[i] for i in indices]
        try:
            return self.collate_fn(samples)
        except CollateShapeError as e:
            raise CollateShapeError(f"{e} [sample {e.position} is dataset index {indices[e.position]}]",
                                    e.position) from None


def create_fetcher(iterable: bool, dataset: Any, auto_collation: bool, collate_fn: Callable,
                   drop_last: bool) -> _BaseDatasetFetcher:
    """The fetcher for an iterable-style (``iterable=True``) or map-style dataset."""
    kind = _IterableDatasetFetcher if iterable else _MapDatasetFetcher
    return kind(dataset, auto_collation, collate_fn, drop_last)
