"""Distances (pairwise_distance, cosine_similarity, pdist), normalize, one_hot and the normalisation layers
(instance, local response, rms, and layer/group/batch norm by op_db, zero-size dims included) against torch:
op_db samples (values and gradients), gradchecks, running statistics, modules and errors."""
import numpy as np
import pytest
import torch

import minitorch
from tests.nn.test_activations_extra import opdb_check
from tests.parity import check, check_module, gradchecks

RNG = np.random.default_rng(0)


def F(m):
    return m.nn.functional


OPS = ["normalize", "cosine_similarity", "pairwise_distance", "pdist", "instance_norm", "local_response_norm",
       "rms_norm", "group_norm", "layer_norm", "batch_norm"]


@pytest.mark.parametrize("name", OPS)
def test_opdb_float64(name):
    opdb_check("nn.functional." + name, limit=8)


def _one_value_per_row(sample):
    """A layer norm over one value: xhat is 0 exactly, but torch's float32 kernel leaves rounding noise in it."""
    shape = sample.args[0] if sample.args else ()
    return int(np.prod(shape)) == 1


@pytest.mark.parametrize("name", OPS)
def test_opdb_float32(name):
    skip = _one_value_per_row if name == "layer_norm" else None
    opdb_check("nn.functional." + name, dtype=torch.float32, limit=4, atol=1e-5, rtol=1e-4, skip=skip)


def test_batch_norm_without_cudnn_and_one_hot_opdb():
    opdb_check("nn.functional.batch_norm", "without_cudnn", limit=8)
    opdb_check("nn.functional.one_hot", dtype=torch.int64, limit=8, grad=False)


@pytest.mark.parametrize("fn", [
    lambda F, x, w, b: F.layer_norm(x, (3,), w, b), lambda F, x, w, b: F.group_norm(x.reshape(0, 3, 1), 3, w, b),
    lambda F, x, w, b: F.batch_norm(x, None, None, w, b, training=True),
    lambda F, x, w, b: F.batch_norm(x, w.detach() * 0, w.detach() + 1, w, b),
    lambda F, x, w, b: F.softmax(x, 1), lambda F, x, w, b: F.log_softmax(x, 0), lambda F, x, w, b: F.rms_norm(x, (3,), w),
])
def test_norms_and_softmax_on_zero_size_tensors(fn):
    check(lambda m, x, w, b: fn(F(m), x, w, b), np.ones((0, 3)), RNG.standard_normal(3), RNG.standard_normal(3))


def test_layer_norm_over_an_empty_normalized_shape():
    check(lambda m, x: F(m).layer_norm(x, (0,)), np.ones((2, 0)))


def test_batch_norm_on_empty_input_keeps_the_running_stats():
    rm, rv = minitorch.zeros(3), minitorch.ones(3)
    F(minitorch).batch_norm(minitorch.ones(0, 3), rm, rv, training=True)
    assert rm.tolist() == [0.0] * 3 and rv.tolist() == [1.0] * 3


@pytest.mark.parametrize("p", [1.0, 2.0, 3.5, float("inf")])
def test_distances_gradchecks(p):
    a, b = RNG.standard_normal((4, 5)), RNG.standard_normal((4, 5))
    gradchecks(lambda m, x, y: F(m).pairwise_distance(x, y, p), a, b)
    gradchecks(lambda m, x: F(m).pdist(x, p), a, second_order=p != float("inf"))
    gradchecks(lambda m, x, y: F(m).cosine_similarity(x, y, dim=1), a, b)
    check(lambda m, x, y: F(m).pairwise_distance(x, y, p, keepdim=True), a, b[:1])


def test_cosine_similarity_clamps_small_norms_without_changing_the_gradient():
    a = RNG.standard_normal((3, 4)) * 1e-10
    check(lambda m, x, y: F(m).cosine_similarity(x, y, dim=1, eps=1e-8), a, RNG.standard_normal((3, 4)))
    check(lambda m, x, y: F(m).cosine_similarity(x, y, dim=0), RNG.standard_normal((3, 1)), RNG.standard_normal((3, 4)))


@pytest.mark.parametrize("track", [False, True])
@pytest.mark.parametrize("name,shape", [("InstanceNorm1d", (2, 3, 5)), ("InstanceNorm2d", (2, 3, 4, 2)),
                                        ("InstanceNorm3d", (2, 3, 2, 2, 3)), ("InstanceNorm1d", (3, 5))])
def test_instance_norm_modules(name, shape, track):
    mt = getattr(minitorch.nn, name)(3, affine=True, track_running_stats=track).double()
    th = getattr(torch.nn, name)(3, affine=True, track_running_stats=track).double()
    with torch.no_grad():
        th.weight.copy_(torch.tensor(RNG.uniform(0.5, 2, 3)))
        th.bias.copy_(torch.tensor(RNG.standard_normal(3)))
    assert repr(mt) == repr(th)
    assert list(mt.state_dict()) == list(th.state_dict())
    x = RNG.standard_normal(shape) * 2 + 1
    check_module(mt, th, x)
    if track:
        mt.eval()
        th.eval()
        check_module(mt, th, x)


def test_instance_norm_gradchecks_and_running_stats():
    x = RNG.standard_normal((2, 3, 4))
    gradchecks(lambda m, a, w, b: F(m).instance_norm(a, weight=w, bias=b), x, RNG.uniform(1, 2, 3), RNG.standard_normal(3))
    for lib in (minitorch, torch):
        rm, rv = lib.zeros(3, dtype=lib.float64), lib.ones(3, dtype=lib.float64)
        F(lib).instance_norm(lib.tensor(x), rm, rv, momentum=0.3)
        if lib is minitorch:
            got = (rm.numpy().copy(), rv.numpy().copy())
    np.testing.assert_allclose(got[0], rm.numpy())
    np.testing.assert_allclose(got[1], rv.numpy())


@pytest.mark.parametrize("size", [1, 2, 3, 4])
@pytest.mark.parametrize("shape", [(2, 5, 3), (2, 5, 3, 2), (1, 4, 2, 2, 2)])
def test_local_response_norm(size, shape):
    check(lambda m, x: F(m).local_response_norm(x, size, alpha=0.3, beta=0.6, k=1.5), RNG.standard_normal(shape))


def test_local_response_norm_and_rms_norm_gradchecks():
    gradchecks(lambda m, x: F(m).local_response_norm(x, 3, alpha=0.5), RNG.standard_normal((2, 4, 3)))
    gradchecks(lambda m, x, w: F(m).rms_norm(x, (2, 3), w, eps=1e-3), RNG.standard_normal((2, 2, 3)),
               RNG.standard_normal((2, 3)))


def test_norm_modules():
    x = RNG.standard_normal((2, 4, 3))
    for mt, th in ((minitorch.nn.LocalResponseNorm(3, 0.1, 0.5, 2.0), torch.nn.LocalResponseNorm(3, 0.1, 0.5, 2.0)),
                   (minitorch.nn.RMSNorm(3, dtype=minitorch.float64), torch.nn.RMSNorm(3, dtype=torch.float64)),
                   (minitorch.nn.RMSNorm((4, 3), 1e-3, False), torch.nn.RMSNorm((4, 3), 1e-3, False)),
                   (minitorch.nn.CosineSimilarity(2), torch.nn.CosineSimilarity(2)),
                   (minitorch.nn.PairwiseDistance(1.5, keepdim=True), torch.nn.PairwiseDistance(1.5, keepdim=True))):
        assert repr(mt) == repr(th)
        args = (x,) if not isinstance(th, (torch.nn.CosineSimilarity, torch.nn.PairwiseDistance)) else (x, x[::-1].copy())
        check_module(mt, th, *args)


@pytest.mark.parametrize("call,exc,match", [
    (lambda F, m: F.local_response_norm(m.ones(3, 2), 2), ValueError, "Expected 3D or higher dimensionality"),
    (lambda F, m: F.instance_norm(m.ones(3, 2, 1)), ValueError, "Expected more than 1 spatial element"),
    (lambda F, m: F.rms_norm(m.ones(3, 2), (3,)), RuntimeError, r"Given normalized_shape=\[3\]"),
    (lambda F, m: F.pdist(m.ones(3)), RuntimeError, "pdist only supports 2D tensors, got: 1D"),
    (lambda F, m: F.cosine_similarity(m.ones(3, dtype=m.int64), m.ones(3, dtype=m.int64), 0), RuntimeError,
     "expected common dtype to be floating point"),
])
def test_errors_like_torch(call, exc, match):
    for lib in (torch, minitorch):
        with pytest.raises(exc, match=match):
            call(F(lib), lib)


# ------------------------------------------------------------------------------------- bilinear, embedding_bag
def test_bilinear_opdb_gradchecks_and_module():
    opdb_check("nn.functional.bilinear", limit=8)
    opdb_check("nn.functional.bilinear", dtype=torch.float32, limit=3, atol=1e-5, rtol=1e-5)
    gradchecks(lambda m, a, b, w, c: F(m).bilinear(a, b, w, c), RNG.standard_normal((2, 3)),
               RNG.standard_normal((2, 4)), RNG.standard_normal((2, 3, 4)), RNG.standard_normal(2))
    mt, th = minitorch.nn.Bilinear(3, 4, 2).double(), torch.nn.Bilinear(3, 4, 2).double()
    assert repr(mt) == repr(th) and list(mt.state_dict()) == list(th.state_dict())
    check_module(mt, th, RNG.standard_normal((2, 5, 3)), RNG.standard_normal((2, 5, 4)))


def _embedding_bag_opdb(input, weight, *args, **kwargs):
    return (minitorch if isinstance(input, minitorch.Tensor) else torch).nn.functional.embedding_bag(
        input, weight, *args, **kwargs)


def test_embedding_bag_opdb():
    # op_db's op is a lambda around the functional; both sides call the functional with the sample as given
    opdb_check("nn.functional.embedding_bag", mt_fn=_embedding_bag_opdb, torch_fn=_embedding_bag_opdb, limit=20)


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
@pytest.mark.parametrize("padding_idx", [None, 2])
def test_embedding_bag_offsets_padding_and_empty_bags(mode, padding_idx):
    idx = np.array([1, 2, 4, 4, 3, 2, 0, 2, 1])
    offsets = np.array([0, 3, 3, 7])  # bag 1 is empty
    w = RNG.standard_normal((5, 3))
    check(lambda m, w: F(m).embedding_bag(m.tensor(idx), w, m.tensor(offsets), mode=mode, padding_idx=padding_idx), w)
    check(lambda m, w: F(m).embedding_bag(m.tensor(idx), w, m.tensor(np.append(offsets, 9)), mode=mode,
                                          include_last_offset=True, padding_idx=padding_idx), w)
    check(lambda m, w: F(m).embedding_bag(m.tensor(idx[:8].reshape(2, 4)), w, mode=mode, padding_idx=padding_idx), w)


def test_embedding_bag_per_sample_weights_and_module():
    idx, offsets = np.array([1, 2, 4, 4, 3]), np.array([0, 2])
    check(lambda m, w, p: F(m).embedding_bag(m.tensor(idx), w, m.tensor(offsets), mode="sum", per_sample_weights=p),
          RNG.standard_normal((5, 3)), RNG.standard_normal(5))
    mt = minitorch.nn.EmbeddingBag(5, 3, mode="max", padding_idx=1).double()
    th = torch.nn.EmbeddingBag(5, 3, mode="max", padding_idx=1).double()
    assert repr(mt) == repr(th)
    check_module(mt, th, forward=lambda mod: mod((minitorch if mod is mt else torch).tensor(idx),
                                                 (minitorch if mod is mt else torch).tensor(offsets)))


@pytest.mark.parametrize("call,exc,match", [
    (lambda F, m: F.embedding_bag(m.tensor([1, 2]), m.ones(3, 2)), ValueError, "offsets has to be a 1D Tensor but got None"),
    (lambda F, m: F.embedding_bag(m.tensor([1, 2]), m.ones(3, 2), m.tensor([1])), RuntimeError, "offsets\\[0\\] has to be 0"),
    (lambda F, m: F.embedding_bag(m.tensor([1, 2]), m.ones(3, 2), m.tensor([0]), mode="prod"), ValueError,
     "mode has to be one of sum, mean or max"),
    (lambda F, m: F.embedding_bag(m.tensor([1, 2]), m.ones(3, 2), m.tensor([0]), per_sample_weights=m.ones(2)),
     NotImplementedError, "per_sample_weights is only supported for mode='sum'"),
    (lambda F, m: F.bilinear(m.ones(2, 3), m.ones(2, 4), m.ones(5, 3, 3)), RuntimeError,
     "input2 size does not match weight size: got 4 but expected 3"),
])
def test_bag_and_bilinear_errors_like_torch(call, exc, match):
    for lib in (torch, minitorch):
        with pytest.raises(exc, match=match):
            call(F(lib), lib)
