"""The connectionist temporal classification loss (``CtcLoss``): the alpha recursion of Graves et al. in log
space, and torch's gradient from the alpha and beta recursions."""
from __future__ import annotations

import numpy as np

from minitorch.autograd.function import Op
from minitorch._tensor import Tensor


def _extended(target: np.ndarray, blank: int) -> tuple:
    """l' = (blank, l_1, blank, l_2, ..., l_L, blank) and where the skip s-2 -> s is allowed (l'_s != blank and
    l'_s != l'_{s-2})."""
    ext = np.full(2 * len(target) + 1, blank, np.int64)
    ext[1::2] = target
    skip = np.zeros(len(ext), bool)
    skip[2:] = (ext[2:] != blank) & (ext[2:] != ext[:-2])
    return ext, skip


def _alphas(lp: np.ndarray, ext: np.ndarray, skip: np.ndarray) -> np.ndarray:
    """log alpha_t(s) = lp_t(l'_s) + log(alpha_{t-1}(s) + alpha_{t-1}(s-1) + [skip_s] alpha_{t-1}(s-2)), (T, S)."""
    steps, size = lp.shape[0], len(ext)
    alpha = np.full((steps, size), -np.inf)
    alpha[0, :min(2, size)] = lp[0, ext[:min(2, size)]]
    for t in range(1, steps):
        prev = alpha[t - 1]
        acc = prev.copy()
        acc[1:] = np.logaddexp(acc[1:], prev[:-1])
        acc[2:] = np.where(skip[2:], np.logaddexp(acc[2:], prev[:-2]), acc[2:])
        alpha[t] = acc + lp[t, ext]
    return alpha


def _betas(lp: np.ndarray, ext: np.ndarray, skip: np.ndarray) -> np.ndarray:
    """log beta_t(s) = lp_t(l'_s) + log(beta_{t+1}(s) + beta_{t+1}(s+1) + [skip_{s+2}] beta_{t+1}(s+2)), (T, S)
    (torch's convention: beta_t includes the emission at t, as alpha_t does)."""
    steps, size = lp.shape[0], len(ext)
    beta = np.full((steps, size), -np.inf)
    beta[-1, max(size - 2, 0):] = lp[-1, ext[max(size - 2, 0):]]
    for t in range(steps - 2, -1, -1):
        nxt = beta[t + 1]
        acc = nxt.copy()
        acc[:-1] = np.logaddexp(acc[:-1], nxt[1:])
        acc[:-2] = np.where(skip[2:], np.logaddexp(acc[:-2], nxt[2:]), acc[:-2])
        beta[t] = acc + lp[t, ext]
    return beta


def _nll(alpha_last: np.ndarray) -> float:
    return -float(np.logaddexp.reduce(alpha_last[-2:])) if len(alpha_last) > 1 else -float(alpha_last[-1])


class CtcLoss(Op):
    """nll_n = -log sum over the alignments pi of target n (blanks and repeats collapsed) of prod_t y_t(pi_t),
    y = exp(log_probs), over the first input_lengths[n] steps: -log(alpha_{T-1}(S-1) + alpha_{T-1}(S-2)).

    Backward (torch's ctc_loss_backward, the gradient for log_probs that are a log_softmax):
      d nll_n / d lp_t(c) = exp(lp_t(c)) - exp(log sum_{s: l'_s = c} alpha_t(s) beta_t(s) + nll_n - lp_t(c))
    for t < input_lengths[n] (0 after), and 0 where nll_n is infinite and ``zero_infinity``.
    """

    @staticmethod
    def forward(ctx, log_probs, targets, input_lengths, blank, zero_infinity):
        lp = log_probs.astype(np.float64)
        out = np.zeros(lp.shape[1])
        for n, (target, steps) in enumerate(zip(targets, input_lengths)):
            if steps == 0:
                out[n] = 0.0 if len(target) == 0 else np.inf
                continue
            ext, skip = _extended(target, blank)
            out[n] = _nll(_alphas(lp[:steps, n], ext, skip)[-1])
        ctx.targets, ctx.lengths, ctx.blank, ctx.zero_infinity = targets, input_lengths, blank, zero_infinity
        ctx.save_for_backward(log_probs)
        ctx.nll = out
        if zero_infinity:
            out = np.where(np.isinf(out), 0.0, out)
        return out.astype(log_probs.dtype)

    @staticmethod
    def backward(ctx, grad):
        (log_probs,) = ctx.saved_tensors
        data = log_probs._data if isinstance(log_probs, Tensor) else log_probs
        lp = data.astype(np.float64)
        g = np.zeros(lp.shape)
        for n, (target, steps) in enumerate(zip(ctx.targets, ctx.lengths)):
            nll = ctx.nll[n]
            if steps == 0 or (np.isinf(nll) and ctx.zero_infinity):
                continue
            ext, skip = _extended(target, ctx.blank)
            ab = _alphas(lp[:steps, n], ext, skip) + _betas(lp[:steps, n], ext, skip)
            lcab = np.full((steps, lp.shape[2]), -np.inf)
            for s, c in enumerate(ext):
                lcab[:, c] = np.logaddexp(lcab[:, c], ab[:, s])
            with np.errstate(invalid="ignore", over="ignore"):
                g[:steps, n] = np.exp(lp[:steps, n]) - np.exp(lcab + nll - lp[:steps, n])
        scale = Tensor._make(g.astype(data.dtype))
        return grad.reshape((1, -1, 1)) * scale, None, None, None, None
