"""The LSTM backward through time as one fused numpy loop (the fast path of ``LSTMLayer.backward``).

``LSTMLayer.backward`` states the formula once over array-likes; run on Tensors (``create_graph``) it
is differentiable, and it is this kernel's test oracle. On bare arrays the same formula spends most of
its time outside the GEMMs: it first builds (T, B, 4H) arrays of gate derivatives (a dozen passes over
arrays larger than the cache), then joins per-step pieces with ``cat``/``stack``. Here every step works
on (B, H) slices that stay in cache, in place in a few scratch buffers, and writes da_t straight into the
(T, B, 4H) result. Per step t (reverse of the forward order), with tc = tanh(c_t):

  dh = g^h_t + da_{t+1} W_hh,   dc = g^c_t + dh o (1 - tc^2) + dc_{t+1} f_{t+1}
  da_i = dc g i (1 - i),  da_f = dc c_{t-1} f (1 - f),  da_g = dc i (1 - g^2),  da_o = dh tc o (1 - o)
"""
from __future__ import annotations

import numpy as np


def lstm_backward(hs: np.ndarray, cs: np.ndarray, gates: np.ndarray, h0: np.ndarray, c0: np.ndarray,
                  w: np.ndarray, gh: np.ndarray | None, gc: np.ndarray | None, steps: range) -> tuple:
    """(dxw (T, B, 4H), dh0, dc0) of one LSTM layer; ``steps`` are the time steps in backward order.

    ``gates`` are the activated [i, f, g, o] of each step, ``gh``/``gc`` the gradients of all h_t / c_t
    (None: zero), ``w`` is W_hh (4H, H).
    """
    t_len, batch, n = hs.shape
    first = steps[-1]  # the step whose previous state is (h0, c0)
    dxw = np.empty(gates.shape, gates.dtype)
    dh, tc, s = (np.empty((batch, n), dxw.dtype) for _ in range(3))
    dc, dc_next = np.zeros((batch, n), dxw.dtype), np.empty((batch, n), dxw.dtype)
    dh_next = np.zeros((batch, n), dxw.dtype)
    for t in steps:
        a, da = gates[t], dxw[t]
        i, f, g, o = a[:, :n], a[:, n:2 * n], a[:, 2 * n:3 * n], a[:, 3 * n:]
        da_i, da_f, da_g, da_o = da[:, :n], da[:, n:2 * n], da[:, 2 * n:3 * n], da[:, 3 * n:]
        c_prev = c0 if t == first else cs[t - 1 if steps.step < 0 else t + 1]
        if gh is None:
            dh, dh_next = dh_next, dh
        else:
            np.add(gh[t], dh_next, out=dh)
        np.tanh(cs[t], out=tc)
        np.subtract(1, o, out=s)  # da_o = dh tc o (1 - o)
        s *= o
        s *= tc
        np.multiply(dh, s, out=da_o)
        np.multiply(tc, tc, out=s)  # dc += dh o (1 - tc^2)
        np.subtract(1, s, out=s)
        s *= o
        s *= dh
        dc += s
        if gc is not None:
            dc += gc[t]
        np.subtract(1, i, out=s)  # da_i = dc g i (1 - i)
        s *= i
        s *= g
        np.multiply(dc, s, out=da_i)
        np.subtract(1, f, out=s)  # da_f = dc c_prev f (1 - f)
        s *= f
        s *= c_prev
        np.multiply(dc, s, out=da_f)
        np.multiply(g, g, out=s)  # da_g = dc i (1 - g^2)
        np.subtract(1, s, out=s)
        s *= i
        np.multiply(dc, s, out=da_g)
        np.multiply(dc, f, out=dc_next)
        dc, dc_next = dc_next, dc
        np.matmul(da, w, out=dh_next)
    return dxw, dh_next, dc
