"""F.scaled_dot_product_attention and nn.MultiheadAttention against torch (values, dtypes, gradients)."""
import numpy as np
import pytest
import torch

import minitorch
from tests.parity import assert_close, check, check_module, gradchecks

RNG = np.random.default_rng(0)


def randn(*shape):
    return RNG.standard_normal(shape)


def sdpa(**kw):
    return lambda m, q, k, v, *mask: m.nn.functional.scaled_dot_product_attention(
        q, k, v, *(mask or ()), **kw)


# ------------------------------------------------------------------------------------------ sdpa
@pytest.mark.parametrize("q_shape,k_shape,ev", [
    ((2, 3, 4, 5), (2, 3, 6, 5), 7),   # (N, H, L, E) with S != L and Ev != E
    ((4, 5), (6, 5), 3),               # unbatched
    ((3, 4, 5), (1, 6, 5), 5),         # broadcast batch dims
])
@pytest.mark.parametrize("kw", [{}, {"is_causal": True}, {"scale": 0.3}])
def test_sdpa_matches_torch(q_shape, k_shape, ev, kw):
    v_shape = k_shape[:-1] + (ev,)
    check(sdpa(**kw), randn(*q_shape), randn(*k_shape), randn(*v_shape))


@pytest.mark.parametrize("mask_shape", [(4, 6), (2, 1, 4, 6), (3, 1, 6)])
def test_sdpa_bool_mask(mask_shape):
    mask = RNG.random(mask_shape) > 0.4
    check(lambda m, q, k, v, mk: m.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=mk),
          randn(2, 3, 4, 5), randn(2, 3, 6, 5), randn(2, 3, 6, 5), mask)


@pytest.mark.parametrize("mask_shape", [(4, 6), (2, 3, 4, 6), (1, 6)])
def test_sdpa_float_mask_and_its_gradient(mask_shape):
    check(lambda m, q, k, v, mk: m.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=mk),
          randn(2, 3, 4, 5), randn(2, 3, 6, 5), randn(2, 3, 6, 5), randn(*mask_shape))


def test_sdpa_float32():
    a = [randn(2, 3, 4, 5).astype(np.float32) for _ in range(3)]
    check(sdpa(is_causal=True), *a, atol=1e-6, rtol=1e-5)


def test_sdpa_fully_masked_rows_are_zero_not_nan():
    mask = RNG.random((4, 6)) > 0.4
    mask[1] = False
    float_mask = np.where(mask, 0.0, -np.inf)
    q, k, v = randn(2, 4, 5), randn(2, 6, 5), randn(2, 6, 5)
    for m in (mask, float_mask):
        out, _ = check(lambda lib, q, k, v, mk: lib.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=mk),
                       q, k, v, m, grad=m.dtype == bool)
        assert not np.isnan(out.detach().numpy()).any()
        assert (out.detach().numpy()[:, 1] == 0).all()


def test_softmax_of_masked_scores_is_nan_free():
    mask = RNG.random((3, 6)) > 0.5
    mask[:, 2] = False
    out, _ = check(lambda m, x: m.nn.functional.softmax(x.masked_fill(m.tensor(mask), float("-inf")), dim=-1),
                   randn(3, 6))
    assert np.isfinite(out.detach().numpy()).all() and (out.detach().numpy()[mask] == 0).all()


def test_sdpa_grouped_query_attention():
    check(sdpa(enable_gqa=True), randn(2, 4, 3, 5), randn(2, 2, 6, 5), randn(2, 2, 6, 5))


def test_sdpa_gradcheck_and_gradgradcheck():
    mask = RNG.random((3, 4)) > 0.3
    mask[0] = False
    gradchecks(lambda m, q, k, v: m.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=m.tensor(mask)),
               randn(2, 3, 2), randn(2, 4, 2), randn(2, 4, 3))
    gradchecks(lambda m, q, k, v, b: m.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=b),
               randn(3, 2), randn(4, 2), randn(4, 3), randn(3, 4))
    gradchecks(lambda m, q, k, v: m.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True),
               randn(1, 3, 2), randn(1, 3, 2), randn(1, 3, 2))


def test_sdpa_dropout_is_seeded_and_differentiable():
    def fn(m, q, k, v):
        m.manual_seed(1)
        return m.nn.functional.scaled_dot_product_attention(q, k, v, dropout_p=0.5)

    q, k, v = randn(2, 3, 2), randn(2, 5, 2), randn(2, 5, 3)
    a = fn(minitorch, *(minitorch.tensor(x) for x in (q, k, v)))
    b = fn(minitorch, *(minitorch.tensor(x) for x in (q, k, v)))
    full = minitorch.nn.functional.scaled_dot_product_attention(*(minitorch.tensor(x) for x in (q, k, v)))
    assert a.equal(b) and not a.allclose(full)
    gradchecks(fn, q, k, v)
    check(sdpa(dropout_p=1.0), q, k, v)  # every weight dropped: zeros, as torch


@pytest.mark.parametrize("args,kw", [
    (((2, 4, 5), (2, 6, 5), (2, 6, 5)), {"attn_mask": np.ones((4, 6), bool), "is_causal": True}),
    (((2, 4, 5), (2, 6, 3), (2, 6, 5)), {}),
    (((2, 4, 5), (2, 6, 5), (2, 6, 5)), {"attn_mask": np.ones((4, 6), np.int64)}),
    (((2, 4, 5), (2, 6, 5), (2, 6, 5)), {"attn_mask": np.ones((5, 6), bool)}),
])
def test_sdpa_errors_like_torch(args, kw):
    arrays = [randn(*s) for s in args]
    for lib in (torch, minitorch):
        tensors = [lib.tensor(a) for a in arrays]
        kwargs = {k: lib.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kw.items()}
        with pytest.raises(RuntimeError):
            lib.nn.functional.scaled_dot_product_attention(*tensors, **kwargs)


def test_sdpa_error_names_the_shapes():
    q, k = minitorch.randn(2, 4, 5), minitorch.randn(2, 6, 3)
    with pytest.raises(RuntimeError, match=r"query \[2, 4, 5\], key \[2, 6, 3\]"):
        minitorch.nn.functional.scaled_dot_product_attention(q, k, k)
    with pytest.raises(RuntimeError, match="same dtype"):
        minitorch.nn.functional.scaled_dot_product_attention(q, q.double(), q)


# ------------------------------------------------------------------------------------------ MultiheadAttention
def pair(seed=0, **kw):
    torch.manual_seed(seed)
    return minitorch.nn.MultiheadAttention(8, 2, **kw).double(), torch.nn.MultiheadAttention(8, 2, **kw).double()


def mask_of(mod, array):
    return (minitorch if isinstance(mod, minitorch.nn.Module) else torch).tensor(array)


@pytest.mark.parametrize("kw", [{}, {"bias": False}, {"kdim": 3, "vdim": 5}, {"add_bias_kv": True},
                                {"add_zero_attn": True}, {"batch_first": True}])
def test_mha_state_dict_and_repr_match_torch(kw):
    m, t = pair(**kw)
    assert list(m.state_dict()) == list(t.state_dict())
    assert [(n, tuple(p.shape)) for n, p in m.named_parameters()] == \
        [(n, tuple(p.shape)) for n, p in t.named_parameters()]
    assert repr(m) == repr(t)


def test_mha_initialisation():
    m = minitorch.nn.MultiheadAttention(8, 2, add_bias_kv=True)
    bound = np.sqrt(6 / (8 + 24))
    w = m.in_proj_weight.detach().numpy()
    assert np.abs(w).max() <= bound and w.std() > bound / 3
    assert (m.in_proj_bias.detach().numpy() == 0).all() and (m.out_proj.bias.detach().numpy() == 0).all()


@pytest.mark.parametrize("kw", [{}, {"bias": False}, {"kdim": 3, "vdim": 5},
                                {"add_bias_kv": True, "add_zero_attn": True}, {"batch_first": True}])
@pytest.mark.parametrize("need_weights", [True, False])
def test_mha_matches_torch(kw, need_weights):
    m, t = pair(**kw)
    layout = (lambda n, length, e: (n, length, e)) if kw.get("batch_first") else (lambda n, length, e: (length, n, e))
    q, k, v = randn(*layout(3, 4, 8)), randn(*layout(3, 5, kw.get("kdim", 8))), randn(*layout(3, 5, kw.get("vdim", 8)))
    check_module(m, t, q, k, v, forward=lambda mod, q, k, v: mod(q, k, v, need_weights=need_weights))


@pytest.mark.parametrize("need_weights", [True, False])
@pytest.mark.parametrize("average", [True, False])
def test_mha_self_attention_batch_first_with_masks(need_weights, average):
    m, t = pair(batch_first=True)
    attn_mask = RNG.random((4, 4)) > 0.7
    attn_mask[:, 0] = False
    kpm = RNG.random((3, 4)) > 0.7
    kpm[:, 0] = False
    check_module(m, t, randn(3, 4, 8), forward=lambda mod, x: mod(
        x, x, x, key_padding_mask=mask_of(mod, kpm), need_weights=need_weights,
        attn_mask=mask_of(mod, attn_mask), average_attn_weights=average))


@pytest.mark.parametrize("need_weights", [True, False])
def test_mha_float_and_3d_masks(need_weights):
    m, t = pair()
    attn_mask = randn(3 * 2, 4, 5)
    kpm = np.where(RNG.random((3, 5)) > 0.7, -np.inf, 0.0)
    kpm[:, 0] = 0.0
    check_module(m, t, randn(4, 3, 8), randn(5, 3, 8), randn(5, 3, 8), forward=lambda mod, q, k, v: mod(
        q, k, v, key_padding_mask=mask_of(mod, kpm), attn_mask=mask_of(mod, attn_mask), need_weights=need_weights))


@pytest.mark.parametrize("need_weights", [True, False])
def test_mha_is_causal_with_mask(need_weights):
    m, t = pair(batch_first=True)
    causal = np.triu(np.ones((4, 4), bool), 1)
    check_module(m, t, randn(2, 4, 8), forward=lambda mod, x: mod(
        x, x, x, attn_mask=mask_of(mod, causal), is_causal=True, need_weights=need_weights))


def test_mha_unbatched():
    m, t = pair()
    kpm = np.array([0, 0, 1, 0, 1], bool)
    check_module(m, t, randn(4, 8), randn(5, 8), randn(5, 8),
                 forward=lambda mod, q, k, v: mod(q, k, v, key_padding_mask=mask_of(mod, kpm)))


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
@pytest.mark.parametrize("need_weights", [True, False])
def test_mha_fully_masked_rows_like_torch(need_weights):
    """A sample whose keys are all padding: NaN with need_weights (explicit softmax), 0 without (sdpa), as torch."""
    m, t = pair(batch_first=True)
    kpm = np.zeros((2, 5), bool)
    kpm[1] = True
    x = randn(2, 5, 8)
    with torch.no_grad():
        ref = t(*(torch.tensor(x),) * 3, key_padding_mask=torch.tensor(kpm), need_weights=need_weights)
    m.load_state_dict(t.state_dict())
    with minitorch.no_grad():
        out = m(*(minitorch.tensor(x),) * 3, key_padding_mask=minitorch.tensor(kpm), need_weights=need_weights)
    assert_close(out[0], ref[0], atol=1e-12, what="output")
    assert np.isnan(ref[0][1].numpy()).all() == need_weights
    if need_weights:
        assert_close(out[1], ref[1], atol=1e-12, what="weights")
    else:
        assert out[1] is None and ref[1] is None


def test_mha_dropout_only_in_training():
    m, t = pair(dropout=0.5)
    x = randn(4, 2, 8)
    m.eval(), t.eval()
    check_module(m, t, x, x, x)
    m.train()
    a = m(*(minitorch.tensor(x),) * 3)[0]
    m.eval()
    b = m(*(minitorch.tensor(x),) * 3)[0]
    assert not a.allclose(b)


def test_mha_errors_like_torch():
    for lib in (minitorch, torch):
        with pytest.raises(AssertionError, match="embed_dim must be divisible by num_heads"):
            lib.nn.MultiheadAttention(10, 3)
        with pytest.raises(ValueError, match="must be greater than 0"):
            lib.nn.MultiheadAttention(0, 2)
        mha = lib.nn.MultiheadAttention(8, 2)
        x = lib.zeros(4, 2, 8)
        with pytest.raises(RuntimeError, match=r"The shape of the 2D attn_mask is"):
            mha(x, x, x, attn_mask=lib.zeros(3, 4, dtype=lib.bool))
        with pytest.raises(AssertionError, match="Expected key_padded_mask.shape\\[1\\] to be 4"):
            mha(x, x, x, key_padding_mask=lib.zeros(2, 3, dtype=lib.bool))
        with pytest.raises(AssertionError, match="only bool and floating types of attn_mask are supported"):
            mha(x, x, x, attn_mask=lib.zeros(4, 4, dtype=lib.int64))
        with pytest.raises(AssertionError, match="query should be unbatched 2D or batched 3D"):
            mha(lib.zeros(8), lib.zeros(8), lib.zeros(8))


# ------------------------------------------------------------------------------------------ dropout, as torch draws it
# torch's and minitorch's random streams differ, so a dropped output cannot equal torch's value by value (the
# OpInfo samples with dropout_p > 0 differ for that reason alone); what must match is where dropout acts: on
# the softmax weights, after masks and scale, each kept weight scaled by 1 / (1 - p).
def _dropout_ratio(dropped, reference, p):
    """dropped / reference where the reference weight is > 0; every ratio is 0 or 1 / (1 - p)."""
    live = reference > 1e-12
    ratio = dropped[live] / reference[live]
    assert np.allclose(ratio[ratio > 1e-9], 1 / (1 - p), rtol=1e-9), "kept weights are not scaled by 1 / (1 - p)"
    assert (dropped[~live] == 0).all(), "dropout revived a masked weight"
    return (ratio < 1e-9).mean()


@pytest.mark.parametrize("kw", [{}, {"is_causal": True}, {"scale": 0.3}, {"attn_mask": "bool"}, {"attn_mask": "float"}])
def test_sdpa_dropout_acts_on_the_softmax_weights_like_torch(kw):
    """With value = identity the output is the attention weights; torch's weights without dropout are the reference."""
    p, length, source = 0.4, 16, 12
    q, k = randn(4, length, 5), randn(4, source, 5)
    kw = dict(kw)
    if kw.get("attn_mask") == "bool":
        kw["attn_mask"] = RNG.random((length, source)) > 0.3
    elif kw.get("attn_mask") == "float":
        kw["attn_mask"] = randn(length, source)

    def run(lib, dropout_p):
        args = {k: lib.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kw.items()}
        eye = lib.eye(source, dtype=lib.float64).expand(4, source, source)
        return lib.nn.functional.scaled_dot_product_attention(lib.tensor(q), lib.tensor(k), eye, dropout_p=dropout_p,
                                                              **args).numpy()

    reference = run(torch, 0.0)
    assert np.allclose(run(minitorch, 0.0), reference, atol=1e-12)
    dropped_torch, dropped = run(torch, p), run(minitorch, p)
    assert abs(_dropout_ratio(dropped_torch, reference, p) - p) < 0.1  # the oracle's own property
    assert abs(_dropout_ratio(dropped, reference, p) - p) < 0.1


def test_mha_dropout_acts_on_the_returned_weights_like_torch():
    m, t = pair(dropout=0.5)
    m.load_state_dict(t.state_dict())
    x = randn(10, 3, 8)
    t.eval()
    with torch.no_grad():
        reference = t(*(torch.tensor(x),) * 3, average_attn_weights=False)[1].numpy()
    for mod in (t.train(), m.train()):
        lib = torch if mod is t else minitorch
        with lib.no_grad():
            _, weights = mod(*(lib.tensor(x),) * 3, average_attn_weights=False)
        assert abs(_dropout_ratio(weights.numpy(), reference, 0.5) - 0.5) < 0.1


@pytest.mark.parametrize("kw", [{"is_causal": True, "scale": 0.5}, {"attn_mask": "bool"}, {"attn_mask": "float"}])
def test_sdpa_grouped_query_attention_with_masks_and_scale(kw):
    kw = dict(kw)
    mask = kw.pop("attn_mask", None)
    arrays = [randn(2, 4, 5, 3), randn(2, 2, 3, 3), randn(2, 2, 3, 4)]
    if mask is not None:
        arrays.append(RNG.random((2, 1, 5, 3)) > 0.3 if mask == "bool" else randn(1, 4, 5, 3))
    check(sdpa(enable_gqa=True, **kw), *arrays)


@pytest.mark.parametrize("mask_kind", ["bool", "float"])
@pytest.mark.parametrize("need_weights,average", [(True, False), (False, True)])
def test_mha_masks_with_bias_kv_and_zero_attn(mask_kind, need_weights, average):
    m, t = pair(add_bias_kv=True, add_zero_attn=True, kdim=3, vdim=5)
    attn_mask = RNG.random((2 * 3, 4, 5)) > 0.7
    kpm = RNG.random((3, 5)) > 0.6
    if mask_kind == "float":
        attn_mask, kpm = randn(2 * 3, 4, 5), np.where(kpm, -np.inf, 0.0)
    check_module(m, t, randn(4, 3, 8), randn(5, 3, 3), randn(5, 3, 5), forward=lambda mod, q, k, v: mod(
        q, k, v, key_padding_mask=mask_of(mod, kpm), attn_mask=mask_of(mod, attn_mask), need_weights=need_weights,
        average_attn_weights=average))


def test_mha_unbatched_3d_mask_weights_per_head():
    m, t = pair()
    attn_mask = randn(2, 4, 5)
    check_module(m, t, randn(4, 8), randn(5, 8), randn(5, 8), forward=lambda mod, q, k, v: mod(
        q, k, v, attn_mask=mask_of(mod, attn_mask), average_attn_weights=False))
