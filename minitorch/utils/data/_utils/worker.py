"""The loop a DataLoader worker process runs, and what it tells the main process.

A worker seeds Python's, numpy's and minitorch's global generators from ``base_seed + worker_id``, runs
``worker_init_fn(worker_id)``, then answers ``(task_idx, indices)`` messages from its index queue with
``(task_idx, batch)`` on the shared result queue until it receives ``None``. A batch travels pickled (a
minitorch Tensor pickles as its numpy array and is rebuilt as a Tensor in the main process); an exception
travels as an ``ExceptionWrapper`` holding its traceback text, re-raised by the main process.
"""
from __future__ import annotations

import os
import pickle
import queue
import random
import sys
import traceback
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from minitorch._threads import set_num_threads
from minitorch.random import manual_seed
from minitorch.utils.data._utils.fetch import create_fetcher

MP_STATUS_CHECK_INTERVAL = 5.0
"""Seconds between checks that the other side (a worker, or the main process) is still alive."""


@dataclass(frozen=True)
class WorkerInfo:
    """What ``get_worker_info()`` returns inside a worker: its ``id`` (0 to ``num_workers - 1``), the
    ``num_workers`` of the loader, the ``seed`` its generators were seeded with, and ``dataset``, this
    process's copy of the dataset."""

    id: int
    num_workers: int
    seed: int
    dataset: Any


_worker_info: WorkerInfo | None = None


def get_worker_info() -> WorkerInfo | None:
    """The ``WorkerInfo`` of the DataLoader worker process calling it; ``None`` in the main process.

    Use it in an ``IterableDataset.__iter__`` or a ``worker_init_fn`` to give each worker its own shard.
    """
    return _worker_info


class KeyErrorMessage(str):
    """A str whose repr is itself, so a re-raised KeyError prints its traceback text readably."""

    __slots__ = ()

    def __repr__(self) -> str:
        return self


class ExceptionWrapper:
    """An exception caught in a worker, as its type and formatted traceback (picklable, unlike tracebacks).

    ``reraise()`` raises the same type with "Caught ValueError in DataLoader worker process 0.\\nOriginal
    Traceback (most recent call last): ..." as its message; a type that cannot be rebuilt from one string
    (or cannot be pickled, e.g. a class local to a function) becomes a RuntimeError with that message.
    """

    def __init__(self, exc_info: tuple | None = None, where: str = "in background") -> None:
        if exc_info is None:
            exc_info = sys.exc_info()
        self.exc_type = exc_info[0]
        self.exc_name = self.exc_type.__name__
        self.exc_msg = "".join(traceback.format_exception(*exc_info))
        self.where = where
        try:
            pickle.dumps(self.exc_type)
        except Exception:
            self.exc_type = RuntimeError

    def reraise(self) -> None:
        """Raise the wrapped exception in the calling process."""
        msg = f"Caught {self.exc_name} {self.where}.\nOriginal {self.exc_msg}"
        if self.exc_type is KeyError:
            msg = KeyErrorMessage(msg)
        elif getattr(self.exc_type, "message", None):
            raise self.exc_type(message=msg)
        try:
            exception = self.exc_type(msg)
        except Exception:
            raise RuntimeError(msg) from None
        raise exception


@dataclass(frozen=True)
class _IterableDatasetStopIteration:
    """A worker's replica of an IterableDataset is exhausted."""

    worker_id: int


@dataclass(frozen=True)
class _ResumeIteration:
    """A persistent worker starts a new epoch (sent by the main process, echoed back as the answer)."""


class _ManagerWatchdog:
    """Tells a worker whether the process that started it is still alive (its parent pid is unchanged)."""

    def __init__(self) -> None:
        self.manager_pid = os.getppid()
        self.manager_dead = False

    def is_alive(self) -> bool:
        if not self.manager_dead:
            self.manager_dead = os.getppid() != self.manager_pid
        return not self.manager_dead


def _seed_worker(base_seed: int, worker_id: int) -> int:
    """Seed Python's ``random``, minitorch's global generator (``base_seed + worker_id``) and numpy's legacy
    global generator (four 32-bit words hashed from both, as torch does); return the seed."""
    seed = base_seed + worker_id
    random.seed(seed)
    manual_seed(seed)
    np.random.seed(np.random.SeedSequence([worker_id, base_seed & 0xFFFFFFFF, base_seed >> 32]).generate_state(4))
    return seed


def _worker_loop(iterable: bool, dataset: Any, index_queue: Any, data_queue: Any, done_event: Any,
                 auto_collation: bool, collate_fn: Callable, drop_last: bool, base_seed: int,
                 init_fn: Callable[[int], None] | None, worker_id: int, num_workers: int) -> None:
    """Serve ``(task_idx, indices)`` requests from ``index_queue`` until ``None`` arrives or the main process dies."""
    global _worker_info
    try:
        set_num_threads(1)
        seed = _seed_worker(base_seed, worker_id)
        _worker_info = WorkerInfo(id=worker_id, num_workers=num_workers, seed=seed, dataset=dataset)
        where = f"in DataLoader worker process {worker_id}"
        init_exception = None
        try:
            if init_fn is not None:
                init_fn(worker_id)
            fetcher = create_fetcher(iterable, dataset, auto_collation, collate_fn, drop_last)
        except Exception:
            init_exception = ExceptionWrapper(where=where)
        iteration_end = False
        watchdog = _ManagerWatchdog()
        while watchdog.is_alive():
            try:
                r = index_queue.get(timeout=MP_STATUS_CHECK_INTERVAL)
            except queue.Empty:
                continue
            if isinstance(r, _ResumeIteration):
                data_queue.put((r, None))
                iteration_end = False
                fetcher = create_fetcher(iterable, dataset, auto_collation, collate_fn, drop_last)
                continue
            if r is None:
                break
            if done_event.is_set() or iteration_end:
                continue
            idx, index = r
            if init_exception is not None:
                data, init_exception = init_exception, None
            else:
                try:
                    data = pickle.dumps(fetcher.fetch(index), protocol=pickle.HIGHEST_PROTOCOL)
                except Exception as e:
                    if iterable and isinstance(e, StopIteration):
                        data, iteration_end = _IterableDatasetStopIteration(worker_id), True
                    else:
                        data = ExceptionWrapper(where=where)
            data_queue.put((idx, data))
            del data, idx, index, r
    except KeyboardInterrupt:
        pass  # the main process handles Ctrl-C and shuts the workers down
    finally:
        _worker_info = None
    if done_event.is_set():
        data_queue.cancel_join_thread()
        data_queue.close()
