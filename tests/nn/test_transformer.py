"""nn.Transformer and its encoder/decoder layers and stacks against torch: state_dict names both ways,
outputs and gradients with every option and mask kind, eval mode (torch's fast and nested paths), errors."""
import copy
import pickle
import warnings

import numpy as np
import pytest
import torch

import minitorch
from minitorch.nn.modules.transformer import (
    Transformer, TransformerDecoder, TransformerDecoderLayer, TransformerEncoder, TransformerEncoderLayer,
)
from tests.parity import assert_close, check_module

RNG = np.random.default_rng(0)
D, H, FF = 8, 2, 16


def randn(*shape):
    return RNG.standard_normal(shape)


def lib_of(mod):
    return minitorch if isinstance(mod, minitorch.nn.Module) else torch


def build(name, *args, act=None, dtype="float64", **kw):
    """The same module in minitorch and torch (torch's initial weights; check_module copies them over)."""
    made = []
    for lib in (minitorch, torch):
        if act is not None:
            kw["activation"] = act(lib)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            made.append(getattr(lib.nn, name)(*args, **kw).to(getattr(lib, dtype)))
    return made


def encoder_stack(lib, num_layers=2, norm=True, enable_nested_tensor=False, **kw):
    layer = lib.nn.TransformerEncoderLayer(D, H, FF, dropout=0.0, **kw)
    return lib.nn.TransformerEncoder(layer, num_layers, lib.nn.LayerNorm(D) if norm else None,
                                     enable_nested_tensor=enable_nested_tensor).double()


def decoder_stack(lib, num_layers=2, norm=True, **kw):
    layer = lib.nn.TransformerDecoderLayer(D, H, FF, dropout=0.0, **kw)
    return lib.nn.TransformerDecoder(layer, num_layers, lib.nn.LayerNorm(D) if norm else None).double()


def masks(mod, **arrays):
    """numpy masks as tensors of the module's framework (None stays None)."""
    lib = lib_of(mod)
    return {k: (lib.tensor(v) if v is not None else None) for k, v in arrays.items()}


def causal(n):
    return np.triu(np.full((n, n), -np.inf), 1)


def padding(n, length, kind="bool", left_aligned=False):
    """A (n, length) key padding mask with at least one key kept per row; bool (True = pad) or float."""
    pad = RNG.random((n, length)) > 0.6
    if left_aligned:
        pad = np.arange(length)[None] >= RNG.integers(1, length + 1, n)[:, None]
    pad[:, 0] = False
    return pad if kind == "bool" else np.where(pad, -np.inf, 0.0)


def layout(batch_first):
    return (lambda n, s: (n, s, D)) if batch_first else (lambda n, s: (s, n, D))


# ------------------------------------------------------------------------------------------ names and state_dict
CONFIGS = [
    ("TransformerEncoderLayer", (D, H, FF), {}),
    ("TransformerEncoderLayer", (D, H, FF), {"bias": False, "norm_first": True}),
    ("TransformerDecoderLayer", (D, H, FF), {"batch_first": True}),
    ("TransformerDecoderLayer", (D, H, FF), {"bias": False}),
    ("Transformer", (D, H, 2, 1, FF), {}),
    ("Transformer", (D, H, 1, 2, FF), {"bias": False, "batch_first": True, "activation": "gelu"}),
]


@pytest.mark.parametrize("name,args,kw", CONFIGS)
def test_parameter_names_shapes_and_repr_match_torch(name, args, kw):
    m, t = build(name, *args, **kw)
    assert [(n, tuple(p.shape)) for n, p in m.named_parameters()] == \
        [(n, tuple(p.shape)) for n, p in t.named_parameters()]
    assert list(m.state_dict()) == list(t.state_dict())
    assert repr(m) == repr(t)


def test_torch_state_dict_loads_into_minitorch_and_back():
    m, t = build("Transformer", D, H, 2, 2, FF, dropout=0.0)
    m.load_state_dict({k: minitorch.tensor(v.numpy()) for k, v in t.state_dict().items()})
    t2 = copy.deepcopy(t)
    for p in t2.parameters():
        torch.nn.init.zeros_(p)
    t2.load_state_dict({k: torch.tensor(v.numpy()) for k, v in m.state_dict().items()})
    src, tgt = randn(5, 3, D), randn(4, 3, D)
    with torch.no_grad():
        want = t(torch.tensor(src), torch.tensor(tgt))
        assert torch.equal(t2(torch.tensor(src), torch.tensor(tgt)), want)
    assert_close(m(minitorch.tensor(src), minitorch.tensor(tgt)), want, atol=1e-12)


def test_transformer_initialises_matrices_xavier_uniform():
    m = minitorch.nn.Transformer(D, H, 1, 1, FF, batch_first=True)
    w = m.encoder.layers[0].linear1.weight.detach().numpy()
    bound = np.sqrt(6 / (D + FF))
    assert np.abs(w).max() <= bound and w.std() > bound / 3
    assert (m.decoder.norm.weight.detach().numpy() == 1).all()


def test_stacks_deep_copy_the_layer():
    layer = minitorch.nn.TransformerEncoderLayer(D, H, FF)
    enc = minitorch.nn.TransformerEncoder(layer, 3, enable_nested_tensor=False)
    params = [p for mod in enc.layers for p in mod.parameters()] + list(layer.parameters())
    assert len({id(p) for p in params}) == len(params) == 4 * len(list(layer.parameters()))
    assert all(np.array_equal(a.detach().numpy(), b.detach().numpy())
               for a, b in zip(enc.layers[2].parameters(), layer.parameters()))
    assert enc.num_layers == 3 and enc.norm is None and len(enc.layers) == 3


# ------------------------------------------------------------------------------------------ encoder layer
@pytest.mark.parametrize("kw", [
    {}, {"norm_first": True}, {"activation": "gelu"}, {"batch_first": True}, {"bias": False},
    {"norm_first": True, "batch_first": True, "layer_norm_eps": 1e-3},
])
def test_encoder_layer_matches_torch(kw):
    m, t = build("TransformerEncoderLayer", D, H, FF, dropout=0.0, **kw)
    check_module(m, t, randn(*layout(kw.get("batch_first", False))(3, 5)))


@pytest.mark.parametrize("act", [lambda lib: lib.nn.functional.gelu, lambda lib: lib.nn.GELU(approximate="tanh"),
                                 lambda lib: lib.tanh], ids=["F.gelu", "GELU-module", "tanh"])
def test_encoder_layer_callable_activation(act):
    m, t = build("TransformerEncoderLayer", D, H, FF, dropout=0.0, act=act)
    assert m.activation_relu_or_gelu == t.activation_relu_or_gelu
    check_module(m, t, randn(5, 3, D))


@pytest.mark.parametrize("mask_kind", ["bool", "float", "3d"])
@pytest.mark.parametrize("pad_kind", [None, "bool", "float"])
def test_encoder_layer_masks(mask_kind, pad_kind):
    m, t = build("TransformerEncoderLayer", D, H, FF, dropout=0.0, batch_first=True)
    if mask_kind == "3d":
        src_mask = randn(3 * H, 5, 5)
    else:
        src_mask = RNG.random((5, 5)) > 0.7
        np.fill_diagonal(src_mask, False)
        src_mask = src_mask if mask_kind == "bool" else np.where(src_mask, -np.inf, 0.0)
    pad = padding(3, 5, pad_kind) if pad_kind else None

    def forward(mod, x):
        if pad is None or pad.dtype == src_mask.dtype:
            return mod(x, **masks(mod, src_mask=src_mask, src_key_padding_mask=pad))
        with pytest.warns(UserWarning, match="Support for mismatched src_key_padding_mask and src_mask is deprecated"):
            return mod(x, **masks(mod, src_mask=src_mask, src_key_padding_mask=pad))

    check_module(m, t, randn(3, 5, D), forward=forward)


def test_encoder_layer_is_causal_and_unbatched():
    m, t = build("TransformerEncoderLayer", D, H, FF, dropout=0.0)
    check_module(m, t, randn(5, 2, D), forward=lambda mod, x: mod(x, **masks(mod, src_mask=causal(5)), is_causal=True))
    check_module(m, t, randn(5, D), forward=lambda mod, x: mod(x, **masks(
        mod, src_mask=np.triu(np.ones((5, 5), bool), 1), src_key_padding_mask=np.array([0, 0, 1, 0, 1], bool))))
    for mod in (m, t):
        with pytest.raises(RuntimeError, match="Need attn_mask if specifying the is_causal hint"):
            mod(lib_of(mod).zeros(5, 2, D, dtype=lib_of(mod).float64), is_causal=True)


def test_encoder_layer_float32():
    m, t = build("TransformerEncoderLayer", D, H, FF, dropout=0.0, dtype="float32", norm_first=True)
    pad = padding(3, 5)
    check_module(m, t, randn(5, 3, D).astype(np.float32), atol=1e-5, rtol=1e-4,
                 forward=lambda mod, x: mod(x, **masks(mod, src_key_padding_mask=pad)))


# ------------------------------------------------------------------------------------------ decoder layer
@pytest.mark.parametrize("kw", [
    {}, {"norm_first": True}, {"activation": "gelu"}, {"batch_first": True}, {"bias": False},
])
def test_decoder_layer_matches_torch(kw):
    m, t = build("TransformerDecoderLayer", D, H, FF, dropout=0.0, **kw)
    shape = layout(kw.get("batch_first", False))
    check_module(m, t, randn(*shape(3, 4)), randn(*shape(3, 6)))


@pytest.mark.parametrize("kind", ["bool", "float"])
@pytest.mark.parametrize("batch_first", [False, True])
def test_decoder_layer_masks(kind, batch_first):
    m, t = build("TransformerDecoderLayer", D, H, FF, dropout=0.0, batch_first=batch_first, norm_first=True)
    tgt_mask = causal(4) if kind == "float" else np.triu(np.ones((4, 4), bool), 1)
    memory_mask = RNG.random((4, 6)) > 0.7
    memory_mask[:, 0] = False
    memory_mask = memory_mask if kind == "bool" else np.where(memory_mask, -np.inf, 0.0)
    shape = layout(batch_first)
    pads = {"tgt_key_padding_mask": padding(3, 4, kind), "memory_key_padding_mask": padding(3, 6, kind)}
    check_module(m, t, randn(*shape(3, 4)), randn(*shape(3, 6)), forward=lambda mod, x, mem: mod(x, mem, **masks(
        mod, tgt_mask=tgt_mask, memory_mask=memory_mask, **pads)))


def test_decoder_layer_tgt_is_causal_and_callable_activation():
    m, t = build("TransformerDecoderLayer", D, H, FF, dropout=0.0, act=lambda lib: lib.nn.functional.silu)
    check_module(m, t, randn(4, 2, D), randn(6, 2, D), forward=lambda mod, x, mem: mod(
        x, mem, **masks(mod, tgt_mask=causal(4)), tgt_is_causal=True))


# ------------------------------------------------------------------------------------------ stacks
@pytest.mark.parametrize("kw", [{}, {"norm": False}, {"batch_first": True, "norm_first": True}])
def test_encoder_stack_matches_torch(kw):
    m, t = encoder_stack(minitorch, **kw), encoder_stack(torch, **kw)
    x = randn(*layout(kw.get("batch_first", False))(3, 5))
    pad = padding(3, 5, "float")
    check_module(m, t, x, forward=lambda mod, x: mod(x, **masks(mod, mask=causal(5), src_key_padding_mask=pad)))


@pytest.mark.parametrize("is_causal", [None, True, False])
def test_encoder_stack_causal_detection(is_causal):
    m, t = encoder_stack(minitorch), encoder_stack(torch)
    check_module(m, t, randn(5, 2, D), forward=lambda mod, x: mod(x, **masks(mod, mask=causal(5)), is_causal=is_causal))
    mask = minitorch.tensor(causal(5))
    assert minitorch.nn.modules.transformer._detect_is_causal_mask(mask, None, 5)
    assert not minitorch.nn.modules.transformer._detect_is_causal_mask(mask, None, 4)
    assert not minitorch.nn.modules.transformer._detect_is_causal_mask(mask[:, [1, 0, 2, 3, 4]], None, 5)


@pytest.mark.parametrize("kw", [{}, {"batch_first": True, "norm": False}])
def test_decoder_stack_matches_torch(kw):
    m, t = decoder_stack(minitorch, **kw), decoder_stack(torch, **kw)
    shape = layout(kw.get("batch_first", False))
    tgt_mask = np.triu(np.ones((4, 4), bool), 1)  # a bool causal mask is detected as causal too
    pad = padding(3, 6)
    check_module(m, t, randn(*shape(3, 4)), randn(*shape(3, 6)), forward=lambda mod, x, mem: mod(x, mem, **masks(
        mod, tgt_mask=tgt_mask, memory_key_padding_mask=pad)))


def test_enable_nested_tensor_warns_like_torch():
    for kw in ({}, {"batch_first": True, "norm_first": True}, {"batch_first": True, "nhead": 1},
               {"batch_first": True, "activation": "gelu"}, {"batch_first": True, "activation": "tanh"}):
        got = []
        for lib in (minitorch, torch):
            args = dict(kw)
            act = args.pop("activation", "relu")
            act = lib.tanh if act == "tanh" else act
            layer = lib.nn.TransformerEncoderLayer(D, args.pop("nhead", H), FF, activation=act, **args)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                enc = lib.nn.TransformerEncoder(layer, 1)
            got.append(([str(w.message) for w in caught if "nested" in str(w.message)], enc.use_nested_tensor))
        assert got[0] == got[1], kw
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        minitorch.nn.TransformerEncoder(minitorch.nn.TransformerEncoderLayer(D, H, FF), 1, enable_nested_tensor=False)


# ------------------------------------------------------------------------------------------ Transformer
@pytest.mark.parametrize("kw", [{}, {"batch_first": True, "norm_first": True}, {"activation": "gelu", "bias": False}])
def test_transformer_matches_torch(kw):
    m, t = build("Transformer", D, H, 2, 2, FF, dropout=0.0, **kw)
    shape = layout(kw.get("batch_first", False))
    pads = {"src_key_padding_mask": padding(3, 6, "float"), "tgt_key_padding_mask": padding(3, 4, "float"),
            "memory_key_padding_mask": padding(3, 6, "float")}
    check_module(m, t, randn(*shape(3, 6)), randn(*shape(3, 4)), forward=lambda mod, s, x: mod(s, x, **masks(
        mod, tgt_mask=causal(4), **pads)))


def test_transformer_every_mask_unbatched_and_causal_hints():
    m, t = build("Transformer", D, H, 1, 1, FF, dropout=0.0)
    src_mask = RNG.random((6, 6)) > 0.8
    np.fill_diagonal(src_mask, False)
    memory_mask = np.where(RNG.random((4, 6)) > 0.8, -np.inf, 0.0)
    memory_mask[:, 0] = 0.0
    check_module(m, t, randn(6, 2, D), randn(4, 2, D), forward=lambda mod, s, x: mod(s, x, **masks(
        mod, src_mask=np.where(src_mask, -np.inf, 0.0), tgt_mask=causal(4), memory_mask=memory_mask),
        src_is_causal=False, tgt_is_causal=True))
    check_module(m, t, randn(6, D), randn(4, D), forward=lambda mod, s, x: mod(s, x, **masks(
        mod, tgt_mask=causal(4), src_key_padding_mask=np.array([0, 0, 0, 1, 0, 1], bool))))


def test_transformer_float32():
    m, t = build("Transformer", D, H, 1, 1, FF, dropout=0.0, dtype="float32", batch_first=True)
    check_module(m, t, randn(2, 6, D).astype(np.float32), randn(2, 4, D).astype(np.float32), atol=1e-5, rtol=1e-4,
                 forward=lambda mod, s, x: mod(s, x, tgt_mask=lib_of(mod).nn.Transformer.generate_square_subsequent_mask(4)))


@pytest.mark.filterwarnings("ignore:The PyTorch API of nested tensors is in prototype stage")
@pytest.mark.parametrize("batch_first", [False, True])
def test_eval_without_grad_matches_torch_fast_and_nested_paths(batch_first):
    """torch runs its fused kernels here, and (batch_first) drops left-aligned padding: those rows are 0 + norm."""
    m, t = build("Transformer", D, H, 2, 1, FF, dropout=0.1, batch_first=batch_first)
    m.load_state_dict({k: v.numpy() for k, v in t.state_dict().items()})
    m.eval(), t.eval()
    shape = layout(batch_first)
    src, tgt = randn(*shape(3, 6)), randn(*shape(3, 4))
    pad = padding(3, 6, left_aligned=True)
    pad[0, 3:] = True
    for kw in ({"src_key_padding_mask": pad}, {"src_key_padding_mask": np.where(pad, -3.0, 0.0)},
               {"src_key_padding_mask": padding(3, 6)}, {}):
        outs = []
        for mod in (m, t):
            lib = lib_of(mod)
            with lib.no_grad():
                memory = mod.encoder(lib.tensor(src), **{k: lib.tensor(v) for k, v in kw.items()})
                outs.append((memory, mod.decoder(lib.tensor(tgt), memory)))
        assert_close(outs[0][0], outs[1][0], atol=1e-10, what="memory")
        assert_close(outs[0][1], outs[1][1], atol=1e-10, what="output")
    with minitorch.no_grad():  # the dropped rows: the final norm of zeros, i.e. its bias
        memory = m.encoder(minitorch.tensor(src), src_key_padding_mask=minitorch.tensor(pad))
    rows = memory[0, 3:] if batch_first else memory[3:, 0]
    assert np.allclose(rows.numpy(), m.encoder.norm.bias.detach().numpy()) == batch_first


def test_dropout_only_in_training():
    m, t = build("Transformer", D, H, 1, 1, FF, dropout=0.3)
    m.eval(), t.eval()
    check_module(m, t, randn(5, 2, D), randn(4, 2, D))
    src, tgt = minitorch.tensor(randn(5, 2, D)), minitorch.tensor(randn(4, 2, D))
    m.train()
    a, b = m(src, tgt), m(src, tgt)
    m.eval()
    assert not a.allclose(b) and not a.allclose(m(src, tgt))


def test_generate_square_subsequent_mask_like_torch():
    for kw in ({}, {"dtype": "float64"}, {"dtype": "float16"}, {"device": "cpu"}):
        got = []
        for lib in (minitorch, torch):
            args = {k: getattr(lib, v) if k == "dtype" else v for k, v in kw.items()}
            got.append(lib.nn.Transformer.generate_square_subsequent_mask(5, **args))
        assert_close(got[0], got[1], atol=0, what=str(kw))
    assert Transformer.generate_square_subsequent_mask is minitorch.nn.Transformer.generate_square_subsequent_mask
    assert minitorch.nn.Transformer.generate_square_subsequent_mask(0).shape == (0, 0)


def test_pickle_and_deepcopy_keep_the_activation():
    layer = minitorch.nn.TransformerDecoderLayer(D, H, FF, activation="gelu", dropout=0.0).double()
    x, mem = minitorch.tensor(randn(3, 1, D)), minitorch.tensor(randn(2, 1, D))
    for other in (pickle.loads(pickle.dumps(layer)), copy.deepcopy(layer)):
        assert other.activation is minitorch.nn.functional.gelu
        assert other(x, mem).equal(layer(x, mem))
    state = dict(layer.__dict__)
    del state["activation"]
    fresh = TransformerDecoderLayer.__new__(TransformerDecoderLayer)
    fresh.__setstate__(state)
    assert fresh.activation is minitorch.nn.functional.relu
    enc = TransformerEncoderLayer.__new__(TransformerEncoderLayer)
    enc.__setstate__({k: v for k, v in minitorch.nn.TransformerEncoderLayer(D, H).__dict__.items() if k != "activation"})
    assert enc.activation is minitorch.nn.functional.relu


# ------------------------------------------------------------------------------------------ errors
def test_errors_like_torch():
    for lib in (minitorch, torch):
        with pytest.raises(AssertionError, match="embed_dim must be divisible by num_heads"):
            lib.nn.TransformerEncoderLayer(10, 3)
        with pytest.raises(AssertionError, match="embed_dim must be divisible by num_heads"):
            lib.nn.Transformer(10, 4, 1, 1, FF)
        with pytest.raises(RuntimeError, match="activation should be relu/gelu, not tanh"):
            lib.nn.TransformerDecoderLayer(D, H, activation="tanh")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = lib.nn.Transformer(D, H, 1, 1, FF)
        with pytest.raises(RuntimeError, match="the feature number of src and tgt must be equal to d_model"):
            model(lib.zeros(5, 2, D), lib.zeros(4, 2, D + 2))
        with pytest.raises(RuntimeError, match="the batch number of src and tgt must be equal"):
            model(lib.zeros(5, 2, D), lib.zeros(4, 3, D))
        layer = lib.nn.TransformerEncoderLayer(D, H, FF)
        with pytest.raises(AssertionError, match=f"was expecting embedding dimension of {D}, but got 6"):
            layer(lib.zeros(5, 2, 6))
        with pytest.raises(RuntimeError, match=r"The shape of the 2D attn_mask is"):
            layer(lib.zeros(5, 2, D), src_mask=lib.zeros(4, 4))
        with pytest.raises(AssertionError, match=r"only bool and floating types of src_key_padding_mask"):
            layer(lib.zeros(5, 2, D), src_key_padding_mask=lib.zeros(2, 5, dtype=lib.int64))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            enc = lib.nn.TransformerEncoder(lib.nn.TransformerEncoderLayer(D, H, FF, batch_first=True), 1).eval()
        with lib.no_grad():
            with pytest.raises(RuntimeError, match="Padding mask should be 2D"):
                enc(lib.zeros(3, 5, D), src_key_padding_mask=lib.zeros(5, dtype=lib.bool))
            with pytest.raises(RuntimeError, match="Mask size should match input size"):
                enc(lib.zeros(3, 5, D), src_key_padding_mask=lib.zeros(3, 6, dtype=lib.bool))
        dec = lib.nn.TransformerDecoderLayer(D, H, FF)
        with pytest.raises(AssertionError, match="was expecting embedding dimension of 8, but got 6"):
            dec(lib.zeros(4, 2, 6), lib.zeros(5, 2, D))


def test_import_paths():
    from minitorch.nn.modules.linear import NonDynamicallyQuantizableLinear
    assert minitorch.nn.MultiheadAttention(D, H).out_proj.__class__ is NonDynamicallyQuantizableLinear
    assert issubclass(NonDynamicallyQuantizableLinear, minitorch.nn.Linear)
    assert (minitorch.nn.Transformer, minitorch.nn.TransformerEncoder, minitorch.nn.TransformerDecoder,
            minitorch.nn.TransformerEncoderLayer, minitorch.nn.TransformerDecoderLayer) == \
        (Transformer, TransformerEncoder, TransformerDecoder, TransformerEncoderLayer, TransformerDecoderLayer)


def test_custom_encoder_and_decoder():
    made = []
    for lib in (minitorch, torch):
        enc = lib.nn.TransformerEncoder(lib.nn.TransformerEncoderLayer(D, H, FF, dropout=0.0), 1,
                                        enable_nested_tensor=False)
        dec = lib.nn.TransformerDecoder(lib.nn.TransformerDecoderLayer(D, H, FF, dropout=0.0), 2)
        made.append(lib.nn.Transformer(D, H, custom_encoder=enc, custom_decoder=dec).double())
    m, t = made
    assert list(m.state_dict()) == list(t.state_dict()) and m.decoder.norm is None
    check_module(m, t, randn(5, 2, D), randn(3, 2, D))
