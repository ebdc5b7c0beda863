"""nn.utils.rnn (PackedSequence, pad/pack/unpad/unpack) and packed input to RNN/LSTM/GRU, against torch."""
import re

import numpy as np
import pytest
import torch
from torch.nn.utils import rnn as trnn

import minitorch
from minitorch.nn.utils import rnn as mrnn
from tests.parity import assert_close, copy_state, gradchecks

LIBS = {minitorch: mrnn, torch: trnn}


def same_packed(m, t, what="packed"):
    """Both PackedSequences hold the same data, batch_sizes and permutations."""
    assert isinstance(m, mrnn.PackedSequence)
    assert_close(m.data, t.data, what=what + ".data")
    assert_close(m.batch_sizes, t.batch_sizes, what=what + ".batch_sizes")
    for field in ("sorted_indices", "unsorted_indices"):
        a, b = getattr(m, field), getattr(t, field)
        assert (a is None) == (b is None), field
        if a is not None:
            assert_close(a, b, what=field)


def both(fn, *arrays):
    """fn(lib, rnn_utils, *tensors) in both frameworks on the same float64 data requiring grad."""
    ins = {lib: [lib.tensor(a.copy(), requires_grad=True) for a in arrays] for lib in LIBS}
    return {lib: (fn(lib, LIBS[lib], *ins[lib]), ins[lib]) for lib in LIBS}


def same_grads(res, out_m, out_t, seed=0):
    """Backward a random projection of the outputs in both frameworks; compare the inputs' gradients."""
    rng = np.random.default_rng(seed)
    lm = lt = 0
    for m, t in zip(out_m, out_t):
        u = rng.standard_normal(tuple(t.shape))
        lm = lm + (m * minitorch.tensor(u)).sum()
        lt = lt + (t * torch.tensor(u)).sum()
    lm.backward()
    lt.backward()
    for xm, xt in zip(res[minitorch][1], res[torch][1]):
        assert_close(xm.grad, xt.grad, what="input gradient")


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("enforce_sorted", [True, False])
def test_pack_and_pad_round_trip_values_and_gradients(batch_first, enforce_sorted):
    lengths = [5, 3, 3, 1] if enforce_sorted else [3, 5, 1, 3]
    x = np.random.default_rng(0).standard_normal((4, 6, 2) if batch_first else (6, 4, 2))

    def fn(lib, R, x):
        p = R.pack_padded_sequence(x, lengths, batch_first=batch_first, enforce_sorted=enforce_sorted)
        return p, R.pad_packed_sequence(p, batch_first=batch_first, padding_value=-2.0, total_length=7)

    res = both(fn, x)
    (pm, (padm, lenm)), (pt, (padt, lent)) = res[minitorch][0], res[torch][0]
    same_packed(pm, pt)
    assert_close(padm, padt)
    assert_close(lenm, lent)
    same_grads(res, [pm.data, padm], [pt.data, padt])


def test_lengths_as_int64_tensor_and_float_list_like_torch():
    x = np.random.default_rng(1).standard_normal((3, 3))
    for lengths in ([3, 2, 2], [3.0, 2.7, 1.2]):
        pm = mrnn.pack_padded_sequence(minitorch.tensor(x), minitorch.tensor(lengths))
        pt = trnn.pack_padded_sequence(torch.tensor(x), torch.tensor(lengths))
        same_packed(pm, pt)


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("padding_side", ["right", "left"])
def test_pad_sequence_matches_torch(batch_first, padding_side):
    rng = np.random.default_rng(2)
    seqs = [rng.standard_normal((n, 2, 3)) for n in (2, 4, 1)]
    res = both(lambda lib, R, *s: R.pad_sequence(list(s), batch_first, 1.5, padding_side), *seqs)
    assert_close(res[minitorch][0], res[torch][0])
    same_grads(res, [res[minitorch][0]], [res[torch][0]])


def test_pad_sequence_dtypes_and_tensor_input_like_torch():
    ints = [np.array([1, 2, 3]), np.array([4])]
    m = mrnn.pad_sequence([minitorch.tensor(a) for a in ints], padding_value=7.9)
    t = trnn.pad_sequence([torch.tensor(a) for a in ints], padding_value=7.9)
    assert_close(m, t)
    mixed_m = mrnn.pad_sequence([minitorch.ones(2), minitorch.ones(3, dtype=minitorch.float64)])
    mixed_t = trnn.pad_sequence([torch.ones(2), torch.ones(3, dtype=torch.float64)])
    assert_close(mixed_m, mixed_t)
    x = np.arange(6.0).reshape(2, 3)
    assert_close(mrnn.pad_sequence(minitorch.tensor(x)), trnn.pad_sequence(torch.tensor(x)))


@pytest.mark.parametrize("enforce_sorted", [True, False])
def test_pack_sequence_unpack_and_unpad_match_torch(enforce_sorted):
    rng = np.random.default_rng(3)
    seqs = [rng.standard_normal((n, 2)) for n in ((4, 2, 1) if enforce_sorted else (2, 4, 1))]

    def fn(lib, R, *s):
        p = R.pack_sequence(list(s), enforce_sorted=enforce_sorted)
        padded, lengths = R.pad_packed_sequence(p)
        return p, R.unpack_sequence(p), R.unpad_sequence(padded.clone(), lengths)

    res = both(fn, *seqs)
    (pm, um, upm), (pt, ut, upt) = res[minitorch][0], res[torch][0]
    same_packed(pm, pt)
    for a, b in zip(um + upm, ut + upt):
        assert_close(a, b)
    same_grads(res, um + upm, ut + upt)


def test_packed_sequence_construction_and_conversions_like_torch():
    data, bs = np.arange(3.0), np.array([2, 1])
    m = mrnn.PackedSequence(minitorch.tensor(data), minitorch.tensor(bs), minitorch.tensor([1, 0]))
    t = trnn.PackedSequence(torch.tensor(data), torch.tensor(bs), torch.tensor([1, 0]))
    same_packed(m, t)
    same_packed(mrnn.PackedSequence((minitorch.tensor(data), minitorch.tensor(bs))),
                trnn.PackedSequence((torch.tensor(data), torch.tensor(bs))))
    with pytest.raises(AssertionError, match="Expected data to be a list or tuple of length 2"):
        mrnn.PackedSequence(minitorch.tensor(data))
    assert m.to(minitorch.float64) is m and m.double() is m
    for method in ("float", "half", "long", "int", "short", "char", "byte"):
        same_packed(getattr(m, method)(), getattr(t, method)(), method)
    assert m.is_cuda is False and m.is_pinned() is False and m.cpu() is m
    assert_close(mrnn.invert_permutation(minitorch.tensor([2, 0, 1])), trnn.invert_permutation(torch.tensor([2, 0, 1])))
    assert mrnn.invert_permutation(None) is None
    assert m._fields == t._fields


def errors(fn):
    """The exception fn raises with torch's module, to be matched by minitorch's."""
    with pytest.raises(Exception) as info:
        fn(torch, trnn)
    return type(info.value), str(info.value)


@pytest.mark.parametrize("case", [
    lambda lib, R: R.pack_padded_sequence(lib.ones(4, 3, 2), [1, 3, 2]),
    lambda lib, R: R.pack_padded_sequence(lib.ones(4, 3, 2), [3, 2, 0]),
    lambda lib, R: R.pack_padded_sequence(lib.ones(4, 3, 2), [3, 2]),
    lambda lib, R: R.pack_padded_sequence(lib.ones(4, 3, 2), lib.tensor([[3, 2, 1]])),
    lambda lib, R: R.pack_padded_sequence(lib.ones(4), [3]),
    lambda lib, R: R.pack_sequence([lib.ones(2), lib.ones(3)]),
    lambda lib, R: R.pad_sequence([]),
    lambda lib, R: R.pad_sequence(3),
    lambda lib, R: R.pad_sequence([lib.ones(2), lib.ones(3)], padding_side="top"),
    lambda lib, R: R.pad_sequence([lib.ones(2, 3), lib.ones(3, 2)]),
    lambda lib, R: R.pad_packed_sequence(R.pack_sequence([lib.ones(3), lib.ones(2)]), total_length=2),
], ids=["unsorted", "zero-length", "too-few-lengths", "2d-lengths", "1d-input", "pack-unsorted", "empty",
        "not-iterable", "padding-side", "trailing-shape", "total-length"])
def test_errors_match_torch(case):
    kind, message = errors(case)
    with pytest.raises(kind, match="^" + re.escape(message) + "$"):
        case(minitorch, mrnn)


def test_lengths_longer_than_the_input_are_a_clear_error():
    """torch reads past the tensor here; minitorch names the length and the input's size."""
    with pytest.raises(RuntimeError, match=r"longest length 5 exceeds .* size \[4, 3, 2\]"):
        mrnn.pack_padded_sequence(minitorch.ones(4, 3, 2), [5, 2, 1])


def twins(name, *args, **kwargs):
    t = getattr(torch.nn, name)(*args, **kwargs).double()
    m = getattr(minitorch.nn, name)(*args, **kwargs).double()
    copy_state(m, t)
    return m, t


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("enforce_sorted", [True, False])
@pytest.mark.parametrize("initial_state", [False, True])
def test_rnns_on_packed_input_match_torch(name, bidirectional, enforce_sorted, initial_state):
    """Output PackedSequence, h_n / c_n at each sequence's last step in the caller's order, all gradients."""
    m, t = twins(name, 3, 4, num_layers=2, bidirectional=bidirectional, batch_first=True)
    rng = np.random.default_rng(4)
    lengths = [5, 4, 2, 2, 1] if enforce_sorted else [2, 5, 1, 4, 2]
    arrays = [rng.standard_normal((5, 6, 3))]
    if initial_state:
        arrays += [rng.standard_normal((4 if bidirectional else 2, 5, 4)) for _ in range(2 if name == "LSTM" else 1)]

    def fn(lib, R, x, *state):
        mod = m if lib is minitorch else t
        packed = R.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=enforce_sorted)
        hx = None if not state else tuple(state) if name == "LSTM" else state[0]
        out, h = mod(packed, hx)
        return out, list(h) if name == "LSTM" else [h]

    res = both(fn, *arrays)
    (om, hm), (ot, ht) = res[minitorch][0], res[torch][0]
    same_packed(om, ot, "output")
    for a, b in zip(hm, ht):
        assert_close(a, b, what="final state")
    same_grads(res, [om.data] + hm, [ot.data] + ht)
    for pname, p in m.named_parameters():
        assert_close(p.grad, dict(t.named_parameters())[pname].grad, what=pname)


def test_packed_input_errors_match_torch():
    m, t = twins("GRU", 2, 3)
    x = np.ones((4, 3, 2))
    pm = mrnn.pack_padded_sequence(minitorch.tensor(x), [3, 2, 1])
    pt = trnn.pack_padded_sequence(torch.tensor(x), [3, 2, 1])
    for hm, ht in ((minitorch.zeros(1, 2, 3), torch.zeros(1, 2, 3)), (minitorch.zeros(3, 3), torch.zeros(3, 3))):
        with pytest.raises(RuntimeError) as info:
            t(pt, ht.double())
        with pytest.raises(RuntimeError, match="^" + re.escape(str(info.value)) + "$"):
            m(pm, hm.double())
    wide = twins("GRU", 3, 3)
    with pytest.raises(RuntimeError, match="input.size\\(-1\\) must be equal to input_size. Expected 3, got 2"):
        wide[1](pt)
    with pytest.raises(RuntimeError, match="input.size\\(-1\\) must be equal to input_size. Expected 3, got 2"):
        wide[0](pm)
    lstm = twins("LSTM", 2, 3)[0]
    with pytest.raises(RuntimeError, match=r"Expected hidden\[0\] size \(1, 3, 3\), got \[1, 2, 3\]"):
        lstm(pm, (minitorch.zeros(1, 2, 3).double(), minitorch.zeros(1, 3, 3).double()))


def test_packed_data_of_the_wrong_rank_is_torchs_error():
    m, t = twins("RNN", 2, 3)
    bad = (np.ones((3, 1, 2)), np.array([2, 1]))
    with pytest.raises(RuntimeError, match="^input must have 2 dimensions, got 3$"):
        t(trnn.PackedSequence(torch.tensor(bad[0]), torch.tensor(bad[1])))
    with pytest.raises(RuntimeError, match="^input must have 2 dimensions, got 3$"):
        m(mrnn.PackedSequence(minitorch.tensor(bad[0]), minitorch.tensor(bad[1])))


def test_pack_pad_and_packed_lstm_gradcheck():
    """minitorch's own gradcheck / gradgradcheck through pack -> pad and through a packed bidirectional LSTM."""
    rng = np.random.default_rng(5)
    x = rng.standard_normal((4, 3, 2))

    def round_trip(lib, x):
        packed = mrnn.pack_padded_sequence(x, [2, 4, 1], enforce_sorted=False)
        return mrnn.pad_packed_sequence(packed, padding_value=0.5)[0], packed.data

    gradchecks(round_trip, x)
    lstm = minitorch.nn.LSTM(2, 2, bidirectional=True).double()

    def packed_lstm(lib, x, h0, c0):
        out, (h, c) = lstm(mrnn.pack_padded_sequence(x, [2, 4, 1], enforce_sorted=False), (h0, c0))
        return out.data, h, c

    gradchecks(packed_lstm, x, rng.standard_normal((2, 3, 2)), rng.standard_normal((2, 3, 2)), second_order=False)
