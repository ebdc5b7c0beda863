"""The LSTM backward through time as one fused numpy loop (the fast path of ``LSTMLayer.backward``).

``LSTMLayer.backward`` states the formula once over array-likes; run on Tensors (``create_graph``) it
is differentiable, and it is this kernel's test oracle. On bare arrays the same formula spends most of
its time outside the GEMMs: it first builds (T, B, 4H) arrays of gate derivatives (a dozen passes over
arrays larger than the cache), then joins per-step pieces with ``cat``/``stack``. Here every step works
in place on contiguous (B, H) blocks that stay in cache: the gate-major gates of the forward and a
gate-major scratch da, copied once per step into the (T, B, 4H) result. Per step t (reverse of the
forward order), with tc = tanh(c_t):

  dh = g^h_t + da_{t+1} W_hh,   dc = g^c_t + dh o (1 - tc^2) + dc_{t+1} f_{t+1}
  da_i = dc g i (1 - i),  da_f = dc c_{t-1} f (1 - f),  da_g = dc i (1 - g^2),  da_o = dh tc o (1 - o)

with tc o read as h_t, the saved output (two passes fewer).
"""
from __future__ import annotations

import numpy as np


def lstm_backward(hs: np.ndarray, cs: np.ndarray, gates: np.ndarray, h0: np.ndarray, c0: np.ndarray,
                  w: np.ndarray, gh: np.ndarray | None, gc: np.ndarray | None, steps: range) -> tuple:
    """(dxw (T, B, 4H), dh0, dc0) of one LSTM layer; ``steps`` are the time steps in backward order.

    ``gates`` are the activated [i, f, g, o] of each step, gate-major (T, 4, B, H); ``gh``/``gc`` the
    gradients of all h_t / c_t (None: zero), ``w`` is W_hh (4H, H).
    """
    t_len, batch, n = hs.shape
    first = steps[-1]  # the step whose previous state is (h0, c0)
    dt = gates.dtype
    dxw = np.empty((t_len, batch, 4 * n), dt)
    da = np.empty((4, batch, n), dt)
    da_i, da_f, da_g, da_o = da
    dh, tc, s = (np.empty((batch, n), dt) for _ in range(3))
    dc, dc_next = np.zeros((batch, n), dt), np.empty((batch, n), dt)
    dh_next = np.zeros((batch, n), dt)
    for t in steps:
        i, f, g, o = gates[t]
        c_prev = c0 if t == first else cs[t - 1 if steps.step < 0 else t + 1]
        if gh is None:
            dh, dh_next = dh_next, dh
        else:
            np.add(gh[t], dh_next, out=dh)
        np.tanh(cs[t], out=tc)
        np.subtract(1, o, out=s)  # da_o = dh tc o (1 - o) = dh h_t (1 - o)
        s *= hs[t]
        np.multiply(dh, s, out=da_o)
        np.multiply(hs[t], tc, out=s)  # dc += dh o (1 - tc^2) = dh (o - h_t tc)
        np.subtract(o, s, out=s)
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
        row = dxw[t]
        row.reshape(batch, 4, n).swapaxes(0, 1)[...] = da
        np.matmul(row, w, out=dh_next)
    return dxw, dh_next, dc
