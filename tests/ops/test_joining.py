"""Joining, splitting and rearranging ops against torch: roll, rot90, tile, repeat_interleave, ravel, select,
diff, flips, the stack variants, tensor_split/split_with_sizes, atleast_nd, meshgrid, take/take_along_dim,
broadcast_shapes, the view aliases; op_db samples (float64 with gradients, float32, int64), gradchecks,
shared memory of the views, and errors."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
from tests import opinfo
from tests._same import same_error
from tests.parity import check, gradchecks

RNG = np.random.default_rng(0)

OPS = ["roll", "rot90", "tile", "repeat_interleave", "ravel", "select", "diff", "fliplr", "flipud", "hstack",
       "vstack", "dstack", "column_stack", "tensor_split", "split_with_sizes", "atleast_1d", "atleast_2d",
       "atleast_3d", "meshgrid:variadic_tensors", "meshgrid:list_of_tensors", "take", "take_along_dim",
       "broadcast_shapes", "movedim", "split", "split:list_args", "unbind", "chunk", "narrow", "flip",
       "broadcast_to", "broadcast_tensors", "expand_as", "view_as", "reshape_as", "squeeze", "squeeze:multiple",
       "unflatten"]


@pytest.mark.parametrize("spec", OPS)
def test_opdb_samples(spec):
    name, _, variant = spec.partition(":")
    dtypes = (torch.float32,) if name == "broadcast_shapes" else (torch.float64, torch.float32, torch.int64)
    assert opinfo.check_samples(name, variant, dtypes=dtypes, limit=8) > 0


@pytest.mark.parametrize("spec", ["roll", "tile", "repeat_interleave", "diff", "hstack", "column_stack",
                                  "atleast_3d", "meshgrid:variadic_tensors", "take", "take_along_dim", "select"])
def test_opdb_gradcheck(spec):
    name, _, variant = spec.partition(":")
    assert opinfo.gradcheck_samples(name, variant, limit=2) > 0



def rand(*shape):
    return RNG.uniform(-2, 2, shape)


def test_small_gradchecks():
    gradchecks(lambda m, a: m.rot90(a, 3, (1, 0)), rand(2, 3))
    gradchecks(lambda m, a: a.tensor_split(m.tensor([1, 2]), 1), rand(2, 4))
    gradchecks(lambda m, a: a.split_with_sizes([1, 3], -1), rand(2, 4))
    gradchecks(lambda m, a: a.diff(2, 0, prepend=a[:1] * 2), rand(4, 2))
    gradchecks(lambda m, a, b: m.vstack([a, b]), rand(3), rand(2, 3))


def test_roll_rot90_tile():
    x = rand(3, 4, 2)
    check(lambda m, a: (a.roll(5), a.roll(-1, 1), a.roll((1, 2), (0, -1)), m.roll(a, [1], [2]),
                        a.roll(0), a.roll(7, 0)), x)
    check(lambda m, a: tuple(m.rot90(a, k, d) for k in (-3, -1, 0, 1, 2, 5) for d in ((0, 1), (2, 0), (-1, -2))), x)
    check(lambda m, a: (a.tile(2), a.tile((2, 1, 1, 3)), m.tile(a, (0, 1)), a.tile(())), x)
    i = np.arange(6).reshape(2, 3)
    check(lambda m, a: (a.roll(1, 0), a.rot90(), a.tile(2, 2)), i)


def test_repeat_interleave_forms():
    x = rand(3, 2)
    check(lambda m, a: (a.repeat_interleave(2), a.repeat_interleave(3, 0), a.repeat_interleave(m.tensor([1, 0, 2]), 0),
                        m.repeat_interleave(a, m.tensor([2]), dim=1), a.repeat_interleave(2, 1, output_size=4),
                        a[0, 0].repeat_interleave(3)), x)
    for lib in (minitorch, torch):
        out = lib.repeat_interleave(lib.tensor([1, 0, 3]))
        assert out.tolist() == [0, 2, 2, 2]
        assert str(out.dtype).endswith("int64")
    same_error(lambda lib: lib.ones(3).repeat_interleave(lib.tensor([1, 2])))
    same_error(lambda lib: lib.ones(3).repeat_interleave(-1))
    same_error(lambda lib: lib.ones(3).repeat_interleave(2, output_size=5))
    same_error(lambda lib: lib.repeat_interleave(lib.tensor([1.0])))


def test_diff_forms():
    x = rand(3, 5)
    check(lambda m, a, p, q: (a.diff(), a.diff(2), a.diff(1, 0), a.diff(0), m.diff(a, 3, -1, prepend=p, append=q),
                              a.diff(1, 0, append=a[:1]), a.diff(9)), x, rand(3, 1), rand(3, 2))
    b = RNG.random((4, 3)) > 0.5
    check(lambda m, a: (a.diff(), a.diff(2, 0)), b)
    same_error(lambda lib: lib.ones(4).diff(prepend=lib.tensor(1.0)))
    same_error(lambda lib: lib.tensor(1.0).diff())
    same_error(lambda lib: lib.ones(3).diff(-1))


def test_stacks_and_atleast():
    a, b, c = rand(3), rand(3), rand(2, 3)
    check(lambda m, x, y: (m.hstack([x, y]), m.vstack((x, y)), m.dstack([x, y]), m.column_stack([x, y]),
                           m.row_stack([x, y])), a, b)
    check(lambda m, x, y: (m.vstack([x, y]), m.column_stack([y, y]), m.hstack([y, y]), m.dstack([y, y])), a, c)
    check(lambda m, x, y: (m.column_stack([x, y]), m.hstack([x, y])), rand(), rand(1))
    check(lambda m, x, y, z: (m.atleast_1d(x), m.atleast_2d(x, y), m.atleast_3d([x, y, z]), m.atleast_3d(y),
                              m.atleast_2d(z)), rand(), rand(3), rand(2, 3))
    check(lambda m, x, y: m.vstack([x, y]), np.arange(3), rand(3))  # promotion
    same_error(lambda lib: lib.hstack([]))
    same_error(lambda lib: lib.vstack(lib.ones(3)))
    same_error(lambda lib: lib.dstack([lib.ones(3), lib.ones(4)]))


def test_meshgrid():
    check(lambda m, x, y, z: (m.meshgrid(x, y, indexing="ij"), m.meshgrid([x, y, z], indexing="xy"),
                              m.meshgrid(x, indexing="xy"), m.meshgrid((x, z), indexing="ij")), rand(3), rand(2), rand())
    for lib in (minitorch, torch):
        with pytest.warns(UserWarning, match="indexing argument"):
            assert [tuple(g.shape) for g in lib.meshgrid(lib.ones(2), lib.ones(3))] == [(2, 3), (2, 3)]
    same_error(lambda lib: lib.meshgrid(lib.ones(2), indexing="yx"))
    same_error(lambda lib: lib.meshgrid(lib.ones(2, 2), indexing="ij"), same_text=False)
    same_error(lambda lib: lib.meshgrid(lib.ones(2), lib.ones(2, dtype=lib.float64), indexing="ij"))


def test_splits():
    x = rand(7, 3)
    check(lambda m, a: (a.tensor_split(3), a.tensor_split([1, 4]), a.tensor_split((-2, 9)), a.tensor_split(2, 1),
                        m.tensor_split(a, m.tensor(4)), a.tensor_split(m.tensor([2, 2, 5]), 0),
                        a.tensor_split([5, 2]), a.tensor_split(10)), x)
    check(lambda m, a: (a.split_with_sizes([2, 0, 5]), m.split_with_sizes(a, [1, 2], 1), a.split([3, 4]),
                        a.split(2), a.split(3, 1), a.split([0, 7])), x)
    same_error(lambda lib: lib.ones(3).tensor_split(0))
    same_error(lambda lib: lib.ones(3).tensor_split(lib.tensor([1.0])))
    same_error(lambda lib: lib.ones(3).split_with_sizes([1, 1]))
    same_error(lambda lib: lib.ones(3).split_with_sizes([4, -1]))
    same_error(lambda lib: lib.tensor(1.0).tensor_split(1))


def test_views_share_memory():
    for make in (lambda t: t.select(1, -1), lambda t: t.ravel(), lambda t: t.tensor_split(2, 1)[1],
                 lambda t: t.moveaxis(0, 1), lambda t: t.swapdims(0, 1), lambda t: t.split_with_sizes([1, 2])[1],
                 lambda t: minitorch.atleast_3d(t)):
        base = minitorch.zeros(3, 4)
        view = make(base)
        base += 1
        assert view.sum().item() == view.numel()
        assert view._base is base


def test_select_take_aliases():
    x = rand(3, 4)
    check(lambda m, a: (a.select(0, 1), a.select(-1, -2), m.select(a, 1, 3), a.moveaxis(0, 1), m.moveaxis(a, -1, 0),
                        a.swapdims(0, 1), m.swapdims(a, 1, 0), m.swapaxes(a, 0, 1), a.ravel(), m.ravel(a.t()),
                        m.fliplr(a), m.flipud(a)), x)
    check(lambda m, a: (a.take(m.tensor([[0, 11], [-1, 5]])), m.take(a, m.tensor(3)),
                        a.take_along_dim(m.tensor([[0], [2], [1]]), 1), m.take_along_dim(a, m.tensor([5, 0])),
                        a.take_along_dim(m.tensor([[0, 1, -1, 2]]), 0), a.take_along_dim(m.tensor([[1]]), 0)), x)
    same_error(lambda lib: lib.ones(3, 4).select(1, 4))
    same_error(lambda lib: lib.tensor(1.0).select(0, 0))
    same_error(lambda lib: lib.ones(3).take(lib.tensor([3])))
    same_error(lambda lib: lib.ones(3).take(lib.tensor([1], dtype=lib.int32)))
    same_error(lambda lib: lib.ones(3, 2).take_along_dim(lib.tensor([1]), 0))
    same_error(lambda lib: lib.ones(3, 2).take_along_dim(lib.tensor([[1.0]]), 0))


def test_broadcast_shapes():
    for shapes in [((2, 1), (3,)), (3, (1, 3)), ((), (0, 1), (4,)), ((1,),)]:
        assert minitorch.broadcast_shapes(*shapes) == torch.broadcast_shapes(*shapes)
    assert isinstance(minitorch.broadcast_shapes((2,)), minitorch.Size)
    same_error(lambda lib: lib.broadcast_shapes((2,), (3,)), same_text=False)
    same_error(lambda lib: lib.broadcast_shapes((-1,)), same_text=False)
    same_error(lambda lib: lib.ones(2).roll(1, (0, 0)))
