"""Datasets for the DataLoader worker tests, usable by both frameworks' loaders.

Samples are numpy arrays and Python numbers, so each framework's ``default_collate`` builds its own tensors;
``framework`` ("minitorch" or "torch") names whose ``get_worker_info``/``rand`` a dataset calls. Nothing here
imports torch at module level: a spawned minitorch worker that unpickles these classes imports minitorch only.
"""
import importlib
import os
import random
import time

import numpy as np

INIT_ID = None  # set in each worker by record_init


def worker_info(framework):
    return importlib.import_module(f"{framework}.utils.data").get_worker_info()


def record_init(worker_id):
    """A worker_init_fn: remember the worker id (a module global of the worker process)."""
    global INIT_ID
    INIT_ID = worker_id * 10


def failing_init(worker_id):
    """A worker_init_fn that raises."""
    return 1 / 0


class Squares:
    """Map-style: sample i is ``(float32 [i, i*i], i)``."""

    def __init__(self, n=10):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return np.array([i, i * i], np.float32), i


class WhoLoads:
    """Sample i is ``(i, worker id, worker pid, INIT_ID)``."""

    def __init__(self, framework, n=12):
        self.framework, self.n = framework, n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return i, worker_info(self.framework).id, os.getpid(), -1 if INIT_ID is None else INIT_ID


class Seeds:
    """Sample i is ``(worker id, num_workers, seed - id, framework.initial_seed() == seed, python random,
    numpy random, framework random)``."""

    def __init__(self, framework, n=4):
        self.framework, self.n = framework, n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        fw = importlib.import_module(self.framework)
        info = worker_info(self.framework)
        return (info.id, info.num_workers, info.seed - info.id, fw.initial_seed() == info.seed, random.random(),
                float(np.random.rand()), fw.rand(1).item())


class Failing:
    """Raises ``exc(*args)`` at index ``bad``; other samples are ``float32 [i]``."""

    def __init__(self, bad, exc, *args):
        self.bad, self.exc, self.args = bad, exc, args

    def __len__(self):
        return 6

    def __getitem__(self, i):
        if i == self.bad:
            raise self.exc(*self.args)
        return np.array([i], np.float32)


class TwoArgError(Exception):
    """An exception that cannot be rebuilt from one message string."""

    def __init__(self, code, detail):
        super().__init__(f"{code}: {detail}")


class Sleepy:
    """Each sample takes ``seconds`` to load."""

    def __init__(self, seconds):
        self.seconds = seconds

    def __len__(self):
        return 2

    def __getitem__(self, i):
        time.sleep(self.seconds)
        return np.array([i], np.float32)


class Exits:
    """The worker process loading index 0 exits at once with status 3 (a crash the main process must notice)."""

    def __len__(self):
        return 4

    def __getitem__(self, i):
        if i == 0:
            os._exit(3)
        return np.array([i], np.float32)
