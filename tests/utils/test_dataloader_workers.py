"""minitorch's DataLoader with worker processes against torch's, on the same datasets.

Every loader here uses 2 workers and a handful of samples; waits are bounded by generous timeouts and no test
asserts a duration, so the file stays fast and robust on a busy 2-core machine.
"""
from __future__ import annotations

import dataclasses
import gc
import multiprocessing
import os
import pickle
import re
import warnings

import numpy as np
import pytest
import torch
import torch.utils.data as tdata

import minitorch
from minitorch.utils import data as mdata
from minitorch.utils.data._utils import worker as mworker
from tests.utils import _worker_datasets as wd
from tests.utils.test_data import assert_same_batch

FRAMEWORKS = {"minitorch": mdata, "torch": tdata}


def both(dataset_fn, **kwargs):
    """The batches of minitorch's and torch's loader over ``dataset_fn(framework)``."""
    return tuple(list(FRAMEWORKS[fw].DataLoader(dataset_fn(fw), **kwargs)) for fw in ("minitorch", "torch"))


def plain(batch):
    """A batch as nested lists of Python numbers (either framework)."""
    if isinstance(batch, (torch.Tensor, minitorch.Tensor)):
        return batch.tolist()
    if isinstance(batch, (list, tuple)):
        return [plain(b) for b in batch]
    return batch


def stream_class(base):
    class Stream(base):
        """``float32 [i]`` for i < n; with ``shard``, worker k of N yields i = k, k+N, ... (its share)."""

        def __init__(self, framework, n=10, shard=True):
            self.framework, self.n, self.shard = framework, n, shard

        def __iter__(self):
            info = wd.worker_info(self.framework)
            start, step = (info.id, info.num_workers) if self.shard and info is not None else (0, 1)
            return (np.array([i], np.float32) for i in range(start, self.n, step))

        def __len__(self):
            return self.n
    return Stream


STREAMS = {"minitorch": stream_class(mdata.IterableDataset), "torch": stream_class(tdata.IterableDataset)}


# --------------------------------------------------------------------------------------------- batches and order
@pytest.mark.parametrize("kwargs", [dict(batch_size=3), dict(batch_size=4, drop_last=True), dict(batch_size=None),
                                    dict(batch_size=2, sampler=[7, 2, 9, 0, 4, 4, 1]),
                                    dict(batch_sampler=[[3, 1], [0], [9, 8, 7, 6]], prefetch_factor=1)])
def test_batches_match_torch_and_the_main_process(kwargs):
    mt, th = both(lambda fw: wd.Squares(10), num_workers=2, **kwargs)
    single = list(mdata.DataLoader(wd.Squares(10), **{k: v for k, v in kwargs.items() if k != "prefetch_factor"}))
    assert len(mt) == len(th) == len(single)
    for a, b, c in zip(mt, th, single):
        assert_same_batch(a, b)
        assert_same_batch(c, b)
    loader = mdata.DataLoader(wd.Squares(10), num_workers=2, **kwargs)
    assert len(loader) == len(tdata.DataLoader(wd.Squares(10), num_workers=2, **kwargs)) == len(iter(loader))


@pytest.mark.parametrize("prefetch_factor", [1, 3])
def test_batches_go_round_robin_and_come_back_in_order(prefetch_factor):
    mt, th = both(lambda fw: wd.WhoLoads(fw, 12), batch_size=2, num_workers=2, prefetch_factor=prefetch_factor)
    who = [[b[0].tolist(), b[1].tolist()] for b in mt]
    assert who == [[b[0].tolist(), b[1].tolist()] for b in th]
    assert who == [[[2 * k, 2 * k + 1], [k % 2] * 2] for k in range(6)]


def test_out_of_order_results_still_cover_every_batch():
    (mt, th) = both(lambda fw: wd.WhoLoads(fw, 12), batch_size=3, num_workers=2, in_order=False)
    assert sorted(b[0].tolist() for b in mt) == sorted(b[0].tolist() for b in th) == [
        [3 * k, 3 * k + 1, 3 * k + 2] for k in range(4)]


def test_shuffled_order_does_not_depend_on_num_workers():
    """The iteration draws its base seed first, then the sampler its permutation: the same in both modes."""
    for fw, lib in (("minitorch", minitorch), ("torch", torch)):
        orders = []
        for num_workers in (0, 2):
            lib.manual_seed(3)
            orders.append([plain(b[1]) for b in FRAMEWORKS[fw].DataLoader(wd.Squares(10), batch_size=4, shuffle=True,
                                                                          num_workers=num_workers)])
        assert orders[0] == orders[1], fw
        assert sorted(sum(orders[0], [])) == list(range(10))


# ------------------------------------------------------------------------------------------ worker info and seeds
def test_get_worker_info_and_seeds():
    assert mdata.get_worker_info() is None and tdata.get_worker_info() is None
    mt, th = both(lambda fw: wd.Seeds(fw, 4), batch_size=1, num_workers=2)
    for batches in (mt, th):
        rows = [plain(b) for b in batches]
        assert [r[0] for r in rows] == [[0], [1], [0], [1]] and all(r[1] == [2] for r in rows)
        assert len({r[2][0] for r in rows}) == 1, "seed - id is the iteration's base seed"
        assert all(r[3] == [True] for r in rows), "the framework's generator is seeded with info.seed"
        for column in (4, 5, 6):  # python, numpy and the framework's random differ between the workers
            assert rows[0][column] != rows[1][column] and rows[0][column] != rows[2][column]
    with pytest.raises(dataclasses.FrozenInstanceError):
        mworker.WorkerInfo(id=0, num_workers=1, seed=0, dataset=None).id = 1


def test_worker_seeds_are_reproducible():
    def draws(global_seed, generator_seed=None):
        minitorch.manual_seed(global_seed)
        generator = None if generator_seed is None else minitorch.Generator().manual_seed(generator_seed)
        return [plain(b) for b in mdata.DataLoader(wd.Seeds("minitorch", 4), num_workers=2, generator=generator)]
    first = draws(1)
    assert draws(1) == first and draws(2) != first
    assert draws(5, generator_seed=9) == draws(6, generator_seed=9) != draws(5, generator_seed=10)


def test_worker_init_fn_runs_in_each_worker():
    mt, th = both(lambda fw: wd.WhoLoads(fw, 4), num_workers=2, worker_init_fn=wd.record_init)
    assert [plain(b[3]) for b in mt] == [plain(b[3]) for b in th] == [[0], [10], [0], [10]]
    assert wd.INIT_ID is None, "worker_init_fn ran in the workers, not here"


# -------------------------------------------------------------------------------------------------------- errors
def raised(fw, dataset, **kwargs):
    """The exception a pass over ``dataset`` raises. The iterator then sits in a reference cycle (through the
    traceback): torch's ``__del__`` would wait out each worker's join timeout there, so stop the workers now."""
    it = iter(FRAMEWORKS[fw].DataLoader(dataset, num_workers=2, **kwargs))
    with pytest.raises(Exception) as info:
        list(it)
    it._shutdown_workers()
    return info.value


@pytest.mark.parametrize("dataset,kwargs", [
    (wd.Failing(3, ValueError, "bad sample 3"), {}),
    (wd.Failing(0, KeyError, "missing"), dict(batch_size=2)),
    (wd.Failing(2, wd.TwoArgError, 7, "no"), {}),
    (wd.Squares(4), dict(worker_init_fn=wd.failing_init)),
])
def test_a_worker_exception_is_reraised_with_its_traceback(dataset, kwargs):
    mt, th = raised("minitorch", dataset, **kwargs), raised("torch", dataset, **kwargs)
    assert type(mt) is type(th)
    assert str(mt).splitlines()[0] == str(th).splitlines()[0]  # "Caught ValueError in DataLoader worker process 1."
    assert str(mt).splitlines()[1] == "Original Traceback (most recent call last):"
    assert str(mt).splitlines()[-1] == str(th).splitlines()[-1]  # "ValueError: bad sample 3"
    assert "_worker_datasets.py" in str(mt)


def test_timeout_raises_torchs_error():
    mt = raised("minitorch", wd.Sleepy(1.0), timeout=0.2)
    th = raised("torch", wd.Sleepy(1.0), timeout=0.2)
    assert type(mt) is type(th) is RuntimeError and str(mt) == str(th) == "DataLoader timed out after 0.2 seconds"


def test_a_dead_worker_is_reported(monkeypatch):
    monkeypatch.setattr(mworker, "MP_STATUS_CHECK_INTERVAL", 0.2)
    mt, th = raised("minitorch", wd.Exits()), raised("torch", wd.Exits())
    pattern = r"DataLoader worker \(pid\(s\) \d+\) exited unexpectedly"
    assert type(mt) is type(th) is RuntimeError and re.fullmatch(pattern, str(mt)) and re.fullmatch(pattern, str(th))


@pytest.mark.parametrize("kwargs", [
    dict(prefetch_factor=2), dict(num_workers=2, prefetch_factor=-1), dict(persistent_workers=True),
    dict(multiprocessing_context="fork"), dict(num_workers=2, multiprocessing_context="bogus"),
    dict(num_workers=2, multiprocessing_context=3),
])
def test_argument_errors_match_torch(kwargs):
    with pytest.raises(Exception) as th:
        tdata.DataLoader(wd.Squares(), **kwargs)
    with pytest.raises(type(th.value)) as mt:
        mdata.DataLoader(wd.Squares(), **kwargs)
    assert str(mt.value) == str(th.value)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # torch's __del__ of a half-made iterator
@pytest.mark.parametrize("kwargs", [dict(timeout=1.0), dict(num_workers=2, prefetch_factor=0)])
def test_iteration_errors_match_torch(kwargs):
    with pytest.raises(AssertionError) as th:
        iter(tdata.DataLoader(wd.Squares(), **kwargs))
    with pytest.raises(AssertionError) as mt:
        iter(mdata.DataLoader(wd.Squares(), **kwargs))
    assert str(mt.value) == str(th.value)
    del th, mt
    gc.collect()


def test_too_many_workers_warns_as_torch():
    many = len(os.sched_getaffinity(0)) + 1
    messages = []
    for lib in (tdata, mdata):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lib.DataLoader(wd.Squares(), num_workers=many)
        messages.append([str(w.message) for w in caught])
    assert messages[0] == messages[1] and f"will create {many} worker processes" in messages[1][0]


def test_pin_memory_is_accepted_with_torchs_warnings():
    messages = []
    for lib in (mdata, tdata):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            batches = list(lib.DataLoader(wd.Squares(4), batch_size=2, num_workers=2, pin_memory=True,
                                          pin_memory_device="cuda"))
        messages.append([str(w.message) for w in caught])
        assert plain(batches[1][1]) == [2, 3]
    assert any("'pin_memory' argument is set as true but no accelerator is found" in m for m in messages[0])
    assert any("pin_memory_device is deprecated" in m for m in messages[0])
    if not torch.accelerator.is_available():
        assert messages[0] == messages[1]


# ------------------------------------------------------------------------------------------------- start methods
@pytest.mark.parametrize("context", ["spawn", multiprocessing.get_context("fork")])
def test_multiprocessing_context(context):
    loader = mdata.DataLoader(wd.Squares(6), batch_size=4, num_workers=2, multiprocessing_context=context)
    assert isinstance(loader.multiprocessing_context, multiprocessing.context.BaseContext)
    for a, b in zip(loader, tdata.DataLoader(wd.Squares(6), batch_size=4)):
        assert_same_batch(a, b)


def test_spawn_needs_a_picklable_dataset():
    local = type("Local", (wd.Squares,), {})  # a class pickle cannot find by name
    for lib in (mdata, tdata):
        loader = lib.DataLoader(local(4), num_workers=2, multiprocessing_context="spawn")
        with pytest.warns(UserWarning, match="Got pickle error when attempting to start a worker Process"):
            with pytest.raises((AttributeError, pickle.PicklingError), match="Local"):
                iter(loader)
        gc.collect()


# ------------------------------------------------------------------------------------------ lifetime of workers
def test_persistent_workers_live_across_epochs_and_die_with_the_loader():
    for fw in ("minitorch", "torch"):
        loader = FRAMEWORKS[fw].DataLoader(wd.WhoLoads(fw, 6), batch_size=2, num_workers=2, persistent_workers=True)
        first = [plain(b) for b in loader]
        workers = list(loader._iterator._workers)
        assert all(w.is_alive() for w in workers), fw
        it = iter(loader)
        next(it)  # leave the second epoch unfinished: the third still starts from the beginning
        del it
        third = [plain(b) for b in loader]
        assert third == first and {p for b in first for p in b[2]} == {w.pid for w in workers}, fw
        del loader
        gc.collect()
        for w in workers:
            w.join(timeout=30)
        assert not any(w.is_alive() for w in workers), fw


def test_workers_stop_when_iteration_ends_or_stops_early():
    loader = mdata.DataLoader(wd.WhoLoads("minitorch", 8), batch_size=2, num_workers=2)
    it = iter(loader)
    pids = {tuple(plain(next(it))[2]) for _ in range(2)}
    workers = list(it._workers)
    assert {p for pair in pids for p in pair} == {w.pid for w in workers} and all(w.is_alive() for w in workers)
    del it  # stopped early: deleting the iterator shuts its workers down
    assert [w.exitcode for w in workers] == [0, 0], "the workers exited on request, none was terminated"
    it = iter(loader)
    assert len(list(it)) == 4
    assert [w.exitcode for w in it._workers] == [0, 0], "an exhausted iteration joins its workers"


def test_an_iterator_collected_in_a_reference_cycle_stops_its_workers():
    it = iter(mdata.DataLoader(wd.Squares(8), num_workers=2))
    next(it)
    it.cycle = it
    workers = list(it._workers)
    del it
    assert all(w.is_alive() for w in workers)
    gc.collect()
    assert [w.exitcode for w in workers] == [0, 0], "asked to exit through their queues (not terminated)"


# --------------------------------------------------------------------------------------------- IterableDataset
@pytest.mark.parametrize("kwargs", [dict(batch_size=2), dict(batch_size=3, drop_last=True), dict(batch_size=None),
                                    dict(batch_size=2, shard=False), dict(batch_size=4, persistent_workers=True)])
def test_iterable_dataset_replicas(kwargs):
    shard = kwargs.pop("shard", True)
    mt, th = both(lambda fw: STREAMS[fw](fw, 9, shard), num_workers=2, **kwargs)
    assert [plain(b) for b in mt] == [plain(b) for b in th]
    assert len(mt) == (len(th) if shard else 10)


def test_iterable_dataset_longer_than_its_len_warns_as_torch():
    messages = []
    for fw in ("minitorch", "torch"):
        loader = FRAMEWORKS[fw].DataLoader(STREAMS[fw](fw, 3, shard=False), num_workers=2)
        assert len(loader) == 3
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert len(list(loader)) == 6  # each worker iterates the whole replica
        messages.append([re.sub(r" object at 0x[0-9a-f]+", "", str(w.message)) for w in caught
                         if "Length of IterableDataset" in str(w.message)])
    assert messages[0] == messages[1] and len(messages[0]) == 3
    assert "reported to be 3(when accessing len(dataloader)), but 4 samples have been fetched" in messages[0][0]
    assert "properly configuring the IterableDataset replica at each worker" in messages[0][0]
