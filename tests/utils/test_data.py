"""minitorch.utils.data against torch.utils.data: datasets, samplers, collation, the DataLoader."""
from __future__ import annotations

import collections
import struct
import warnings

import numpy as np
import pytest
import torch
import torch.utils.data as tdata

import minitorch
from minitorch.utils import data as mdata

Point = collections.namedtuple("Point", ["x", "y"])


def as_np(x):
    if isinstance(x, torch.Tensor):
        return x.numpy()
    if isinstance(x, minitorch.Tensor):
        return x._data
    return x


def assert_same_batch(mt, th):
    """Same nesting, container types, dtypes and values (minitorch tensors where torch has tensors)."""
    if isinstance(th, torch.Tensor):
        assert isinstance(mt, minitorch.Tensor), f"expected a minitorch tensor, got {type(mt)}"
        assert mt.dtype.name == str(th.dtype).replace("torch.", "")
        np.testing.assert_array_equal(mt._data, th.numpy())
    elif isinstance(th, dict):
        assert type(mt) is type(th) and mt.keys() == th.keys()
        for k in th:
            assert_same_batch(mt[k], th[k])
    elif isinstance(th, (list, tuple)):
        assert type(mt) is type(th) and len(mt) == len(th)
        for a, b in zip(mt, th):
            assert_same_batch(a, b)
    else:
        assert mt == th


def arrays(n=10):
    rng = np.random.default_rng(0)
    return rng.normal(size=(n, 3)).astype(np.float32), np.arange(n) % 3


def tensor_datasets(n=10):
    x, y = arrays(n)
    return (mdata.TensorDataset(minitorch.tensor(x), minitorch.tensor(y)),
            tdata.TensorDataset(torch.tensor(x), torch.tensor(y)))


# ------------------------------------------------------------------------------------------- DataLoader
@pytest.mark.parametrize("batch_size,drop_last", [(1, False), (3, False), (3, True), (4, True), (10, False),
                                                  (16, False), (16, True)])
def test_batches_match_torch(batch_size, drop_last):
    mds, tds = tensor_datasets()
    mt = list(mdata.DataLoader(mds, batch_size=batch_size, drop_last=drop_last))
    th = list(tdata.DataLoader(tds, batch_size=batch_size, drop_last=drop_last))
    assert len(mt) == len(th) == len(mdata.DataLoader(mds, batch_size=batch_size, drop_last=drop_last))
    for a, b in zip(mt, th):
        assert_same_batch(a, b)


def test_shuffle_is_reproducible_with_a_seeded_generator():
    mds, _ = tensor_datasets(20)

    def order(seed):
        loader = mdata.DataLoader(mds, batch_size=4, shuffle=True, generator=minitorch.Generator().manual_seed(seed))
        return [np.concatenate([y._data for _, y in loader]) for _ in range(2)], [
            np.concatenate([x._data[:, 0] for x, _ in loader])]
    (epochs_a, xs_a), (epochs_b, _) = order(7), order(7)
    np.testing.assert_array_equal(epochs_a[0], epochs_b[0])
    np.testing.assert_array_equal(epochs_a[1], epochs_b[1])
    assert not np.array_equal(epochs_a[0], epochs_a[1]), "each epoch draws a new order"
    assert not np.array_equal(order(8)[0][0], epochs_a[0])
    assert sorted(xs_a[0].tolist()) == sorted(mds.tensors[0]._data[:, 0].tolist()), "every sample exactly once"


def test_shuffle_without_generator_follows_manual_seed():
    mds, _ = tensor_datasets(20)

    def order():
        minitorch.manual_seed(3)
        return np.concatenate([x._data[:, 0] for x, _ in mdata.DataLoader(mds, batch_size=5, shuffle=True)])
    np.testing.assert_array_equal(order(), order())
    assert not np.array_equal(order(), mds.tensors[0]._data[:, 0])


def test_custom_collate_fn_and_batch_sampler():
    mds, tds = tensor_datasets()

    def collate(lib):
        return lambda batch: (len(batch), lib.stack([x for x, _ in batch]).sum(0))
    sampler = [[0, 5], [9], [1, 2, 3]]
    mt = list(mdata.DataLoader(mds, batch_sampler=sampler, collate_fn=collate(minitorch)))
    th = list(tdata.DataLoader(tds, batch_sampler=sampler, collate_fn=collate(torch)))
    for (n, s), (m, t) in zip(mt, th):
        assert n == m
        np.testing.assert_allclose(s._data, t.numpy(), rtol=1e-6)


def test_explicit_sampler():
    mds, tds = tensor_datasets()
    mt = list(mdata.DataLoader(mds, batch_size=4, sampler=[9, 0, 8, 1, 7]))
    th = list(tdata.DataLoader(tds, batch_size=4, sampler=[9, 0, 8, 1, 7]))
    for a, b in zip(mt, th):
        assert_same_batch(a, b)


def test_batch_size_none_converts_single_samples():
    samples = [(np.arange(3), 1.5), (np.ones(3), 2.5)]
    mt = list(mdata.DataLoader(samples, batch_size=None))
    th = list(tdata.DataLoader(samples, batch_size=None))
    for a, b in zip(mt, th):
        assert_same_batch(a, b)


class Stream(tdata.IterableDataset):
    """An iterable dataset usable by both loaders (minitorch checks isinstance on its own class)."""

    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter([{"i": i, "v": np.full(2, i, np.float64)} for i in range(self.n)])

    def __len__(self):
        return self.n


class MtStream(Stream, mdata.IterableDataset):
    pass


@pytest.mark.parametrize("batch_size,drop_last", [(3, False), (3, True), (None, False)])
def test_iterable_dataset(batch_size, drop_last):
    mt_loader = mdata.DataLoader(MtStream(10), batch_size=batch_size, drop_last=drop_last)
    th_loader = tdata.DataLoader(Stream(10), batch_size=batch_size, drop_last=drop_last)
    mt, th = list(mt_loader), list(th_loader)
    assert len(mt_loader) == len(th_loader) == len(mt) == len(th)
    for a, b in zip(mt, th):
        assert_same_batch(a, b)


def test_loader_errors_match_torch():
    mds, tds = tensor_datasets()
    cases = [
        dict(batch_size=0), dict(batch_size=-2), dict(batch_size=2.5), dict(sampler=[0, 1], shuffle=True),
        dict(batch_sampler=[[0]], batch_size=2), dict(batch_sampler=[[0]], drop_last=True),
        dict(batch_size=None, drop_last=True), dict(num_workers=-1), dict(timeout=-1),
        dict(persistent_workers=True), dict(drop_last="yes"),
    ]
    for kwargs in cases:
        with pytest.raises(Exception) as th:
            tdata.DataLoader(tds, **kwargs)
        with pytest.raises(type(th.value)) as mt:
            mdata.DataLoader(mds, **kwargs)
        assert str(mt.value) == str(th.value), kwargs
    with pytest.raises(ValueError, match="expected unspecified shuffle option, but got shuffle=True"):
        mdata.DataLoader(MtStream(3), shuffle=True)


def test_attributes_are_frozen_after_init():
    loader = mdata.DataLoader(tensor_datasets()[0], batch_size=2)
    with pytest.raises(ValueError, match="batch_size attribute should not be set after DataLoader is initialized"):
        loader.batch_size = 3


def test_shape_mismatch_names_the_index_and_both_shapes():
    samples = [np.zeros((2, 3)), np.zeros((2, 3)), np.zeros((3, 3)), np.zeros((2, 3))]
    with pytest.raises(RuntimeError, match=r"sample 2 of the batch has shape \[3, 3\], but sample 0 has shape "
                                           r"\[2, 3\]"):
        mdata.default_collate(samples)
    batches = iter(mdata.DataLoader(samples, batch_size=2, sampler=[3, 0, 1, 2]))
    assert next(batches).shape == (2, 2, 3)
    with pytest.raises(RuntimeError, match=r"sample 1 of the batch has shape \[3, 3\], but sample 0 has shape "
                                           r"\[2, 3\].*sample 1 is dataset index 2"):
        next(batches)
    with pytest.raises(RuntimeError, match=r"each element in list of batch should be of equal size"):
        mdata.default_collate([[1, 2], [1, 2, 3]])


# ---------------------------------------------------------------------------------------- default_collate
def collate_cases():
    yield [1.5, 2.0, -3.25]
    yield [1, 2, 3]
    yield [True, False]
    yield [np.float32(1.5), np.float32(2.5)]
    yield [np.int16(3), np.int16(-4)]
    yield ["a", "bc"]
    yield [b"x", b"y"]
    yield [np.arange(6, dtype=np.uint8).reshape(2, 3)] * 3
    yield [(np.ones(2), 1, "s"), (np.zeros(2), 2, "t")]
    yield [[np.ones(2), 1.0], [np.zeros(2), 2.0]]
    yield [{"img": np.ones((2, 2), np.float32), "label": 3, "meta": {"name": "a", "w": 0.5}},
           {"img": np.zeros((2, 2), np.float32), "label": 4, "meta": {"name": "b", "w": 1.5}}]
    yield [Point(np.ones(3), 1), Point(np.zeros(3), 2)]
    yield [collections.OrderedDict(a=1, b=2.0), collections.OrderedDict(a=3, b=4.0)]


@pytest.mark.parametrize("batch", list(collate_cases()))
def test_default_collate_matches_torch(batch):
    assert_same_batch(mdata.default_collate(batch), tdata.default_collate(batch))


def test_default_collate_stacks_minitorch_and_torch_tensors():
    x = [np.full((2, 2), i, np.float64) for i in range(3)]
    out = mdata.default_collate([minitorch.tensor(a) for a in x])
    assert_same_batch(out, tdata.default_collate([torch.tensor(a) for a in x]))
    out = mdata.default_collate([(torch.tensor(a), torch.tensor(i)) for i, a in enumerate(x)])
    assert_same_batch(out, tdata.default_collate([(torch.tensor(a), torch.tensor(i)) for i, a in enumerate(x)]))


def test_default_collate_pil_images():
    from PIL import Image
    imgs = [Image.fromarray(np.full((4, 5, 3), i, np.uint8)) for i in range(3)]
    out = mdata.default_collate(imgs)
    assert out.shape == (3, 4, 5, 3) and out.dtype == minitorch.uint8
    np.testing.assert_array_equal(out._data, np.stack([np.asarray(im) for im in imgs]))


def test_default_collate_refuses_unknown_types_like_torch():
    for batch in ([object(), object()], [np.array(["a", "b"])] * 2):
        with pytest.raises(TypeError) as th:
            tdata.default_collate(batch)
        with pytest.raises(TypeError) as mt:
            mdata.default_collate(batch)
        assert str(mt.value).split(";")[0] == str(th.value).split(";")[0]


def test_default_convert_matches_torch():
    sample = {"a": np.ones(2), "b": (np.int64(3), "s"), "c": [np.zeros(1), 2.0]}
    assert_same_batch(mdata.default_convert(sample), tdata.default_convert(sample))


# ---------------------------------------------------------------------------------------------- samplers
def test_sequential_and_batch_samplers_match_torch():
    assert list(mdata.SequentialSampler(range(7))) == list(tdata.SequentialSampler(range(7)))
    for drop_last in (False, True):
        for size in (1, 3, 7, 9):
            mt = mdata.BatchSampler(mdata.SequentialSampler(range(7)), size, drop_last)
            th = tdata.BatchSampler(tdata.SequentialSampler(range(7)), size, drop_last)
            assert list(mt) == list(th) and len(mt) == len(th)


def test_random_sampler():
    gen = minitorch.Generator().manual_seed(0)
    s = mdata.RandomSampler(range(10), generator=gen)
    first, second = list(s), list(s)
    assert sorted(first) == sorted(second) == list(range(10)) and first != second
    assert list(mdata.RandomSampler(range(10), generator=minitorch.Generator().manual_seed(0))) == first
    more = list(mdata.RandomSampler(range(4), num_samples=10, generator=gen))
    assert len(more) == 10 and sorted(more[:8]) == sorted(list(range(4)) * 2) and len(set(more[8:])) == 2
    drawn = list(mdata.RandomSampler(range(3), replacement=True, num_samples=50, generator=gen))
    assert len(drawn) == 50 and set(drawn) == {0, 1, 2}
    assert len(mdata.RandomSampler(range(3), replacement=True, num_samples=50)) == 50


def test_subset_random_sampler():
    s = mdata.SubsetRandomSampler([3, 5, 7, 9], generator=minitorch.Generator().manual_seed(1))
    assert sorted(s) == [3, 5, 7, 9] and len(s) == 4


def test_sampler_errors_match_torch():
    for build in (lambda m: m.RandomSampler(range(3), replacement=1),
                  lambda m: m.RandomSampler(range(3), num_samples=0),
                  lambda m: m.RandomSampler(range(3), num_samples=2.0),
                  lambda m: m.BatchSampler(range(3), 0, False),
                  lambda m: m.BatchSampler(range(3), 2, 1)):
        with pytest.raises(Exception) as th:
            build(tdata)
        with pytest.raises(type(th.value)) as mt:
            build(mdata)
        assert str(mt.value) == str(th.value)


# ---------------------------------------------------------------------------------------------- datasets
def test_tensor_dataset_subset_concat():
    mds, tds = tensor_datasets()
    assert len(mds) == 10
    for i in (0, 4, -1):
        assert_same_batch(mds[i], tds[i])
    msub, tsub = mdata.Subset(mds, [8, 2, 5]), tdata.Subset(tds, [8, 2, 5])
    assert len(msub) == 3
    assert_same_batch(msub[1], tsub[1])
    mcat, tcat = mds + msub, tds + tsub
    assert isinstance(mcat, mdata.ConcatDataset) and len(mcat) == len(tcat) == 13
    assert mcat.cumulative_sizes == tcat.cumulative_sizes
    for i in (0, 9, 10, 12, -1, -13):
        assert_same_batch(mcat[i], tcat[i])
    with pytest.raises(ValueError, match="absolute value of index should not exceed dataset length"):
        mcat[-14]
    with pytest.raises(IndexError):
        mcat[13]
    loader_batches = list(mdata.DataLoader(mcat, batch_size=5))
    th_batches = list(tdata.DataLoader(tcat, batch_size=5))
    for a, b in zip(loader_batches, th_batches):
        assert_same_batch(a, b)


def test_dataset_errors():
    with pytest.raises(ValueError, match=r"Size mismatch between tensors: first dimensions \[3, 4\]"):
        mdata.TensorDataset(minitorch.zeros(3, 2), minitorch.zeros(4))
    with pytest.raises(TypeError, match="ConcatDataset does not support IterableDataset"):
        mdata.ConcatDataset([MtStream(2)])
    with pytest.raises(ValueError, match="datasets should not be an empty iterable"):
        mdata.ConcatDataset([])
    with pytest.raises(NotImplementedError):
        mdata.Dataset()[0]


@pytest.mark.parametrize("lengths", [[3, 7], [0.3, 0.7], [0.25, 0.25, 0.5], [1 / 3, 1 / 3, 1 / 3], [10, 0],
                                     [1.0, 0.0], [0.05, 0.95]])
def test_random_split(lengths):
    """Same split sizes (and empty-split warnings) as torch; the same seed gives the same split."""
    ds = list(range(10))
    with warnings.catch_warnings(record=True) as mt_warnings:
        warnings.simplefilter("always")
        parts = mdata.random_split(ds, lengths, generator=minitorch.Generator().manual_seed(0))
    with warnings.catch_warnings(record=True) as th_warnings:
        warnings.simplefilter("always")
        th_parts = tdata.random_split(ds, lengths, generator=torch.Generator().manual_seed(0))
    assert [str(w.message) for w in mt_warnings] == [str(w.message) for w in th_warnings]
    assert [len(p) for p in parts] == [len(p) for p in th_parts]
    assert sorted(i for p in parts for i in p) == ds
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        again = mdata.random_split(ds, lengths, generator=minitorch.Generator().manual_seed(0))
    assert [list(p) for p in parts] == [list(p) for p in again]


def test_random_split_errors():
    for lengths in ([3, 3], [0.5, 0.6], [11]):
        with pytest.raises(ValueError, match="Sum of input lengths does not equal the length of the input dataset"):
            mdata.random_split(range(10), lengths)
    for lengths in ([1.5, -0.5], [0.5, 0.7, -0.2]):
        with pytest.raises(ValueError) as th:
            tdata.random_split(range(10), lengths)
        with pytest.raises(ValueError) as mt:
            mdata.random_split(range(10), lengths)
        assert str(mt.value) == str(th.value)


# ------------------------------------------------------------------------------------------- torchvision
def test_torchvision_fakedata_with_to_tensor():
    from torchvision import datasets, transforms
    ds = datasets.FakeData(size=10, image_size=(3, 8, 6), num_classes=4, transform=transforms.ToTensor())
    mt = list(mdata.DataLoader(ds, batch_size=4))
    th = list(tdata.DataLoader(ds, batch_size=4))
    assert [x.shape for x, _ in mt] == [(4, 3, 8, 6), (4, 3, 8, 6), (2, 3, 8, 6)]
    for a, b in zip(mt, th):
        assert_same_batch(list(a), list(b))


def write_idx(path, array):
    """An IDX file (MNIST's format): magic (0, 0, type 0x08 = uint8, ndim), big-endian sizes, the bytes."""
    with open(path, "wb") as f:
        f.write(struct.pack(">BBBB", 0, 0, 0x08, array.ndim))
        f.write(struct.pack(f">{array.ndim}I", *array.shape))
        f.write(array.astype(np.uint8).tobytes())


def test_torchvision_mnist_from_tiny_idx_files(tmp_path):
    from torchvision import datasets, transforms
    rng = np.random.default_rng(0)
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    images = {split: rng.integers(0, 256, (n, 28, 28)) for split, n in (("train", 7), ("t10k", 3))}
    labels = {split: rng.integers(0, 10, len(images[split])) for split in images}
    for split in images:
        write_idx(raw / f"{split}-images-idx3-ubyte", images[split])
        write_idx(raw / f"{split}-labels-idx1-ubyte", labels[split])
    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    train = datasets.MNIST(str(tmp_path), train=True, transform=transform)
    test = datasets.MNIST(str(tmp_path), train=False, transform=transform)
    assert len(train) == 7 and len(test) == 3
    xs, ys = zip(*mdata.DataLoader(train, batch_size=3))
    assert [x.shape for x in xs] == [(3, 1, 28, 28)] * 2 + [(1, 1, 28, 28)]
    assert all(x.dtype == minitorch.float32 and y.dtype == minitorch.int64 for x, y in zip(xs, ys))
    np.testing.assert_array_equal(np.concatenate([y._data for y in ys]), labels["train"])
    expected = (images["train"][:, None].astype(np.float32) / 255 - 0.1307) / 0.3081
    np.testing.assert_allclose(np.concatenate([x._data for x in xs]), expected, rtol=1e-6, atol=1e-6)
    (x, y), = list(mdata.DataLoader(test, batch_size=8))
    np.testing.assert_array_equal(y._data, labels["t10k"])


@pytest.mark.parametrize("values", [([1], [2.0]), ([2.5], [1], [True])])
def test_default_collate_of_mixed_dtype_tensors_promotes_like_torch(values):
    out = mdata.default_collate([minitorch.tensor(v) for v in values])
    assert_same_batch(out, tdata.default_collate([torch.tensor(v) for v in values]))


def test_default_collate_of_mixed_dtype_arrays_promotes_like_torch():
    batch = [np.ones(2, np.float32), np.arange(2, dtype=np.int64)]
    assert_same_batch(mdata.default_collate(batch), tdata.default_collate(batch))
