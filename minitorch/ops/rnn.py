"""Fused recurrences: one direction of one RNN / LSTM / GRU layer over a whole sequence.

The input projection ``xw = x W_ih^T + b`` of all time steps is done beforehand in one GEMM
(by the caller, in Tensor ops), so each forward step is one ``h W_hh^T`` GEMM plus element-wise
gate math in numpy. Backward runs through time in reverse and collects the per-step gradients
``da_t`` of the recurrent pre-activations, so that ``dW_hh = sum_t da_t^T h_{t-1}`` is one GEMM
over the stacked steps (plus one for the first step, whose previous state is h0).

Backward is written once over array-likes (``Op.arrays_in_backward``): under ``create_graph`` it
runs on the saved Tensors (Tensor ops, so the gradient is itself differentiable), otherwise on
their numpy arrays, which keeps the per-step cost of the time loop at numpy's. Everything backward needs that depends on
the inputs (hidden states, cell states, activated gates) is an output of the op, so double
backward flows through it correctly.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from minitorch.autograd.function import Op
from minitorch.ops._rnn_kernels import lstm_backward
from minitorch._tensor import Tensor
from minitorch.ops.activation import ActivationMethods
from minitorch.ops.shape import cat, stack

_NUMPY = (np.concatenate, np.stack, np.tanh)
_TENSOR = (cat, stack, ActivationMethods.tanh)


def _gate_sigmoid(x: np.ndarray, out: np.ndarray) -> np.ndarray:
    """sigma(x) = (1 + tanh(x / 2)) / 2 into ``out`` (which may be ``x``), for the gates of a recurrence.

    numpy's vectorised tanh runs faster than its exp, and a product than the reciprocal, so this takes
    the LSTM forward loop 4.28 -> 4.08 ms (64 x 128, 28 steps, SkylakeX; 4.84 -> 4.67 Haswell kernel). Its
    absolute error is below that of 1 / (1 + exp(-x)) (6e-8 against 9e-8 in float32), but far in the negative
    tail it loses the tiny values' relative precision (sigma(-20) comes out 0): harmless for a gate, which only
    scales, so ``Sigmoid`` itself keeps the exp form."""
    np.multiply(x, 0.5, out=out)
    np.tanh(out, out=out)
    out += 1
    out *= 0.5
    return out


def _steps(n: int, reverse: bool) -> range:
    """The time steps in processing order."""
    return range(n - 1, -1, -1) if reverse else range(n)


def _backend(like: Any) -> tuple:
    """(cat, stack, tanh) for the operands backward got: numpy's for arrays, minitorch's for Tensors."""
    return _TENSOR if isinstance(like, Tensor) else _NUMPY


def _previous(hs: Any, h0: Any, reverse: bool, cat: Any) -> Any:
    """h_{t-1} for every step t (in processing order), shaped like ``hs``."""
    return cat([hs[1:], h0[None]], 0) if reverse else cat([h0[None], hs[:-1]], 0)


def _outer_with_previous(das: Any, hs: Any, h0: Any, reverse: bool) -> Any:
    """sum_t da_t^T h_{t-1} (h0 before the first step): the recurrent weight's gradient, as one GEMM over the
    steps that follow another and one for the first step, so the shifted states are never copied."""
    if reverse:
        later, previous, first = das[:-1], hs[1:], das[-1]
    else:
        later, previous, first = das[1:], hs[:-1], das[0]
    return later.reshape(-1, das.shape[-1]).T @ previous.reshape(-1, hs.shape[-1]) + first.T @ h0


def _zeros(like: Any) -> Any:
    """Zeros shaped like ``like``, of its kind (array or Tensor)."""
    if isinstance(like, Tensor):
        return Tensor._make(np.zeros(like.shape, like._data.dtype))
    return np.zeros(like.shape, like.dtype)


class RNNLayer(Op):
    """h_t = act(xw_t + h_{t-1} W_hh^T), act = tanh (or relu), for t = 0..T-1 (T-1..0 when ``reverse``).

    ``xw`` (T, B, H) = x_t W_ih^T + b_ih + b_hh for all steps. Backward through time:
    da_t = (g_t + da_{t+1} W_hh) * act'(h_t);  dxw = da,  dh_0 = da_0 W_hh,
    dW_hh = sum_t da_t^T h_{t-1} (``_outer_with_previous``).
    """

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, xw, h0, w_hh, reverse, relu):
        hs = np.empty(xw.shape, np.result_type(xw, h0, w_hh))
        w_t, h = np.ascontiguousarray(w_hh.T), h0  # h @ W^T runs 20% faster on a contiguous W^T
        for t in _steps(xw.shape[0], reverse):
            a = h @ w_t
            a += xw[t]
            h = np.maximum(a, 0, out=hs[t]) if relu else np.tanh(a, out=hs[t])
        ctx.reverse, ctx.relu = reverse, relu
        ctx.save_for_backward(hs, h0, w_hh)
        return hs

    @staticmethod
    def backward(ctx, grad):
        hs, h0, w = ctx.saved_tensors
        _, stack, _ = _backend(hs)
        on_arrays = not isinstance(hs, Tensor)
        if on_arrays:  # written in place, act'(h_t) step by step into a block that stays in cache
            das, d = np.empty(hs.shape, hs.dtype), np.empty(hs.shape[1:], hs.dtype)
        else:
            das, deriv = [None] * hs.shape[0], (hs > 0) if ctx.relu else 1 - hs * hs
        dh = None
        for t in _steps(hs.shape[0], not ctx.reverse):
            g = grad[t] if dh is None else grad[t] + dh
            if on_arrays:
                if ctx.relu:
                    np.greater(hs[t], 0, out=d)
                else:
                    np.subtract(1, np.multiply(hs[t], hs[t], out=d), out=d)
                np.multiply(g, d, out=das[t])
            else:
                das[t] = g * deriv[t]
            dh = das[t] @ w
        dxw = das if on_arrays else stack(das, 0)
        dw = _outer_with_previous(dxw, hs, h0, ctx.reverse) if ctx.needs_input_grad[2] else None
        return dxw, dh, dw, None, None


class LSTMLayer(Op):
    """LSTM recurrence: i, f, g, o = sigma, sigma, tanh, sigma of the chunks of a_t = xw_t + h_{t-1} W_hh^T,
    c_t = f c_{t-1} + i g,  h_t = o tanh(c_t).

    ``xw`` (T, B, 4H) = x_t W_ih^T + b_ih + b_hh. Outputs: all h_t, all c_t and the activated
    gates, gate-major (T, 4, B, H) so that each gate of a step is one contiguous block (numpy runs an
    element-wise pass over a contiguous (B, H) block about 3x faster than over a column slice of a
    (B, 4H) row). Backward through time, with dh_t = g^h_t + da_{t+1} W_hh and
    dc_t = g^c_t + dh_t o (1 - tanh(c_t)^2) + dc_{t+1} f_{t+1}:
    da_t = [dc_t g, dc_t c_{t-1}, dc_t i, dh_t tanh(c_t)] * act'(gates);  dW_hh = sum_t da_t^T h_{t-1}.
    On bare arrays (and no gradient of the gates) the same formula runs fused, ``_rnn_kernels.lstm_backward``.
    """

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, xw, h0, c0, w_hh, reverse):
        t_len, batch, four_h = xw.shape
        n = four_h // 4
        dt = np.result_type(xw, h0, c0, w_hh)
        hs, cs = np.empty((t_len, batch, n), dt), np.empty((t_len, batch, n), dt)
        gates = np.empty((t_len, 4, batch, n), dt)
        w_t, h, c = np.ascontiguousarray(w_hh.T), h0, c0
        a, s = np.empty((batch, four_h), dt), np.empty((batch, n), dt)
        for t in _steps(t_len, reverse):
            np.matmul(h, w_t, out=a)
            a += xw[t]  # then one copy into gate-major: adding across the layouts is twice as slow
            i, f, g, o = gate = gates[t]
            np.copyto(gate, a.reshape(batch, 4, n).swapaxes(0, 1))
            _gate_sigmoid(gate[:2], out=gate[:2])
            np.tanh(g, out=g)
            _gate_sigmoid(o, out=o)
            c = np.multiply(f, c, out=cs[t])
            c += np.multiply(i, g, out=s)
            h = np.multiply(o, np.tanh(c, out=s), out=hs[t])
        ctx.reverse = reverse
        ctx.set_materialize_grads(False)
        ctx.save_for_backward(hs, cs, gates, h0, c0, w_hh)
        return hs, cs, gates

    @staticmethod
    def backward(ctx, gh, gc, gg):
        hs, cs, gates, h0, c0, w = ctx.saved_tensors
        cat, stack, tanh = _backend(hs)
        t_len, batch, n = hs.shape
        if gg is None and t_len and not isinstance(hs, Tensor):  # the same formula, fused (_rnn_kernels)
            dxw, dh, dc = lstm_backward(hs, cs, gates, h0, c0, w, gh, gc, _steps(t_len, not ctx.reverse))
            return dxw, dh, dc, LSTMLayer._weight_grad(ctx, dxw, hs, h0), None
        gh = _zeros(hs) if gh is None else gh
        i, f, g, o = gates[:, 0], gates[:, 1], gates[:, 2], gates[:, 3]
        tc = tanh(cs)
        sd = gates * (1 - gates)
        act_d = stack([sd[:, 0], sd[:, 1], 1 - g * g, sd[:, 3]], 1)
        k_c = stack([g, _previous(cs, c0, ctx.reverse, cat), i], 1) * act_d[:, :3]
        k_o = tc * act_d[:, 3]
        k_dc = o * (1 - tc * tc)
        extra = gg * act_d if gg is not None else None
        das: list = [None] * t_len
        dh = dc = None
        for t in _steps(t_len, not ctx.reverse):
            dh_t = gh[t] if dh is None else gh[t] + dh
            dc_t = dh_t * k_dc[t]
            if dc is not None:
                dc_t = dc_t + dc
            if gc is not None:
                dc_t = dc_t + gc[t]
            da = cat([dc_t[None] * k_c[t], (dh_t * k_o[t])[None]], 0)  # (4, B, H)
            if extra is not None:
                da = da + extra[t]
            das[t] = da.swapaxes(0, 1).reshape(batch, 4 * n)
            dh, dc = das[t] @ w, dc_t * f[t]
        dxw = stack(das, 0)
        return dxw, dh, dc, LSTMLayer._weight_grad(ctx, dxw, hs, h0), None

    @staticmethod
    def _weight_grad(ctx, dxw, hs, h0):
        """dW_hh = sum_t da_t^T h_{t-1} (None when not needed)."""
        return _outer_with_previous(dxw, hs, h0, ctx.reverse) if ctx.needs_input_grad[3] else None


class GRULayer(Op):
    """GRU recurrence with hw_t = h_{t-1} W_hh^T + b_hh and xw_t = x_t W_ih^T + b_ih (chunks r, z, n):
    r = sigma(xw_r + hw_r),  z = sigma(xw_z + hw_z),  n = tanh(xw_n + r * hw_n),  h_t = (1 - z) n + z h_{t-1}.

    Outputs: all h_t, the activated gates (T, B, 3H) and hw_n (T, B, H). Backward through time,
    with dh_t = g_t + dhw_{t+1} W_hh + dh_{t+1} z_{t+1}:
    da_n = dh_t (1 - z)(1 - n^2),  da_z = dh_t (h_{t-1} - n) z (1 - z),  da_r = da_n hw_n r (1 - r);
    dxw_t = [da_r, da_z, da_n],  dhw_t = [da_r, da_z, da_n r];
    dW_hh = sum_t dhw_t^T h_{t-1} (``_outer_with_previous``),  db_hh = sum_t dhw_t.
    """

    arrays_in_backward = True

    @staticmethod
    def forward(ctx, xw, h0, w_hh, b_hh, reverse):
        t_len, batch, three_h = xw.shape
        n = three_h // 3
        dt = np.result_type(xw, h0, w_hh)
        hs, gates, hwn = np.empty((t_len, batch, n), dt), np.empty(xw.shape, dt), np.empty((t_len, batch, n), dt)
        w_t, h = np.ascontiguousarray(w_hh.T), h0
        for t in _steps(t_len, reverse):
            hw = h @ w_t
            if b_hh is not None:
                hw += b_hh
            a = gates[t]
            rz = np.add(xw[t][:, :2 * n], hw[:, :2 * n], out=a[:, :2 * n])
            _gate_sigmoid(rz, out=rz)
            hwn[t] = hw[:, 2 * n:]
            nn = np.multiply(rz[:, :n], hw[:, 2 * n:], out=a[:, 2 * n:])
            nn += xw[t][:, 2 * n:]
            np.tanh(nn, out=nn)
            h = np.subtract(h, nn, out=hs[t])
            h *= rz[:, n:]
            h += nn
        ctx.reverse = reverse
        ctx.set_materialize_grads(False)
        ctx.save_for_backward(hs, gates, hwn, h0, w_hh)
        return hs, gates, hwn

    @staticmethod
    def backward(ctx, gh, gg, ghwn):
        hs, gates, hwn, h0, w = ctx.saved_tensors
        gh = _zeros(hs) if gh is None else gh
        cat, stack, _ = _backend(hs)
        n = hs.shape[-1]
        r, z, nn = gates[..., :n], gates[..., n:2 * n], gates[..., 2 * n:]
        act_r, act_z, act_n = r * (1 - r), z * (1 - z), 1 - nn * nn
        k_n = (1 - z) * act_n
        k_z = (_previous(hs, h0, ctx.reverse, cat) - nn) * act_z
        k_r = hwn * act_r
        dxws: list = [None] * hs.shape[0]
        dhws: list = [None] * hs.shape[0]
        dh = None
        for t in _steps(hs.shape[0], not ctx.reverse):
            dh_t = gh[t] if dh is None else gh[t] + dh
            da_n = dh_t * k_n[t]
            da_z = dh_t * k_z[t]
            if gg is not None:
                da_n = da_n + gg[t][:, 2 * n:] * act_n[t]
                da_z = da_z + gg[t][:, n:2 * n] * act_z[t]
            da_r = da_n * k_r[t]
            if gg is not None:
                da_r = da_r + gg[t][:, :n] * act_r[t]
            dhw_n = da_n * r[t]
            if ghwn is not None:
                dhw_n = dhw_n + ghwn[t]
            dxws[t] = cat([da_r, da_z, da_n], -1)
            dhws[t] = cat([da_r, da_z, dhw_n], -1)
            dh = dhws[t] @ w + dh_t * z[t]
        dxw, dhw = stack(dxws, 0), stack(dhws, 0)
        need = ctx.needs_input_grad
        dw = _outer_with_previous(dhw, hs, h0, ctx.reverse) if need[2] else None
        db = dhw.sum((0, 1)) if need[3] else None
        return dxw, dh, dw, db, None
