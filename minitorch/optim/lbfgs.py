"""``LBFGS``: limited-memory BFGS driven by a closure, with torch's optional strong-Wolfe line search.

The arithmetic runs on numpy: flat float vectors for the parameters, gradients, directions and the
curvature history, and numpy scalars of the parameters' dtype exactly where torch holds 0-d tensors
(``g.dot(d)``, ``ro``, ``H_diag``, ``al``...), so that every comparison and update is evaluated with
torch's types; ``state_dict()`` holds minitorch tensors where torch holds tensors.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from minitorch.autograd.grad_mode import enable_grad, no_grad
from minitorch.optim.optimizer import Optimizer, _check_nonnegative
from minitorch._tensor import Tensor


def _cubic_interpolate(x1: Any, f1: Any, g1: Any, x2: Any, f2: Any, g2: Any, bounds: tuple | None = None) -> Any:
    """Minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to ``bounds`` (torch's formula)."""
    if bounds is not None:
        xmin_bound, xmax_bound = bounds
    else:
        xmin_bound, xmax_bound = (x1, x2) if x1 <= x2 else (x2, x1)
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1 ** 2 - g1 * g2
    if d2_square >= 0:
        d2 = np.sqrt(d2_square)
        if x1 <= x2:
            min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        else:
            min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
        return min(max(min_pos, xmin_bound), xmax_bound)
    return (xmin_bound + xmax_bound) / 2.0


def _strong_wolfe(obj_func: Callable, x: list, t: Any, d: np.ndarray, f: float, g: np.ndarray, gtd: Any,
                  c1: float = 1e-4, c2: float = 0.9, tolerance_change: float = 1e-9, max_ls: int = 25) -> tuple:
    r"""torch's strong-Wolfe line search along ``d`` from step ``t``: bracketing, then cubic zoom.

    Returns ``(f_new, g_new, t, evaluations)`` for a step satisfying
    :math:`f(x + t d) \le f + c_1 t g^\top d` and :math:`|g(x + t d)^\top d| \le -c_2 g^\top d`
    (or the best point found within ``max_ls`` evaluations).
    """
    d_norm = np.abs(d).max()
    g = g.copy()
    f_new, g_new = obj_func(x, t, d)
    ls_func_evals = 1
    gtd_new = g_new.dot(d)
    t_prev, f_prev, g_prev, gtd_prev = 0, f, g, gtd
    done = False
    ls_iter = 0
    bracket: list = []
    bracket_f: list = []
    bracket_g: list = []
    bracket_gtd: list = []
    while ls_iter < max_ls:
        if f_new > (f + c1 * t * gtd) or (ls_iter > 1 and f_new >= f_prev):
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new.copy()], [gtd_prev, gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd:
            bracket, bracket_f, bracket_g = [t], [f_new], [g_new]
            done = True
            break
        if gtd_new >= 0:
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new.copy()], [gtd_prev, gtd_new]
            break
        min_step = t + 0.01 * (t - t_prev)
        max_step = t * 10
        tmp = t
        t = _cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, bounds=(min_step, max_step))
        t_prev, f_prev, g_prev, gtd_prev = tmp, f_new, g_new.copy(), gtd_new
        f_new, g_new = obj_func(x, t, d)
        ls_func_evals += 1
        gtd_new = g_new.dot(d)
        ls_iter += 1
    if ls_iter == max_ls:
        bracket, bracket_f, bracket_g = [0, t], [f, f_new], [g, g_new]
    insuf_progress = False
    low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[-1] else (1, 0)
    while not done and ls_iter < max_ls:
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:
            break
        t = _cubic_interpolate(bracket[0], bracket_f[0], bracket_gtd[0], bracket[1], bracket_f[1], bracket_gtd[1])
        eps = 0.1 * (max(bracket) - min(bracket))
        if min(max(bracket) - t, t - min(bracket)) < eps:
            if insuf_progress or t >= max(bracket) or t <= min(bracket):
                t = max(bracket) - eps if abs(t - max(bracket)) < abs(t - min(bracket)) else min(bracket) + eps
                insuf_progress = False
            else:
                insuf_progress = True
        else:
            insuf_progress = False
        f_new, g_new = obj_func(x, t, d)
        ls_func_evals += 1
        gtd_new = g_new.dot(d)
        ls_iter += 1
        if f_new > (f + c1 * t * gtd) or f_new >= bracket_f[low_pos]:
            bracket[high_pos], bracket_f[high_pos] = t, f_new
            bracket_g[high_pos], bracket_gtd[high_pos] = g_new.copy(), gtd_new
            low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[high_pos] - bracket[low_pos]) >= 0:
                bracket[high_pos], bracket_f[high_pos] = bracket[low_pos], bracket_f[low_pos]
                bracket_g[high_pos], bracket_gtd[high_pos] = bracket_g[low_pos], bracket_gtd[low_pos]
            bracket[low_pos], bracket_f[low_pos] = t, f_new
            bracket_g[low_pos], bracket_gtd[low_pos] = g_new.copy(), gtd_new
    return bracket_f[low_pos], bracket_g[low_pos], bracket[low_pos], ls_func_evals


def _wrap(value: Any) -> Any:
    """Internal numpy values as state: arrays and numpy scalars become tensors, lists stay lists."""
    if isinstance(value, list):
        return [_wrap(v) for v in value]
    if isinstance(value, (np.ndarray, np.generic)):
        return Tensor._make(np.array(value, copy=True))
    return value


def _unwrap(value: Any) -> Any:
    """State back to numpy: 1-d tensors to arrays, 0-d tensors to numpy scalars of their dtype."""
    if isinstance(value, list):
        return [_unwrap(v) for v in value]
    if isinstance(value, Tensor):
        return value._data if value._data.ndim else value._data[()]
    return value


class LBFGS(Optimizer):
    """L-BFGS as ``torch.optim.LBFGS`` (after minFunc): up to ``max_iter`` iterations per ``step(closure)``.

    Options: ``lr``, ``max_iter``, ``max_eval`` (default ``max_iter * 5 // 4``), ``tolerance_grad``,
    ``tolerance_change``, ``history_size``, ``line_search_fn`` (None or ``'strong_wolfe'``), ``maximize``.
    One parameter group only; the state lives under the first parameter, as in torch.
    """

    _state_keys = ("func_evals", "n_iter", "d", "t", "old_dirs", "old_stps", "ro", "H_diag", "prev_flat_grad",
                   "prev_loss", "al")

    def __init__(self, params: Iterable[Any], lr: float = 1, max_iter: int = 20, max_eval: int | None = None,
                 tolerance_grad: float = 1e-7, tolerance_change: float = 1e-9, history_size: int = 100,
                 line_search_fn: str | None = None, *, maximize: bool = False) -> None:
        _check_nonnegative("learning rate", lr)
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        defaults = {"lr": lr, "max_iter": max_iter, "max_eval": max_eval, "tolerance_grad": tolerance_grad,
                    "tolerance_change": tolerance_change, "history_size": history_size,
                    "line_search_fn": line_search_fn, "maximize": maximize}
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params = self.param_groups[0]["params"]

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        self._params = self.param_groups[0]["params"]

    def _load_state_value(self, param: Tensor, value: Any, index: Any) -> Any:
        """A copy of a saved LBFGS state entry: tensors (flat vectors, 0-d values) in the parameter's dtype."""
        if isinstance(value, dict):
            return {k: self._load_state_value(param, v, index) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self._load_state_value(param, v, index) for v in value]
        if isinstance(value, Tensor) or hasattr(value, "__array__"):
            arr = np.array(value._data if isinstance(value, Tensor) else np.asarray(value), copy=True)
            return Tensor._make(arr.astype(param._data.dtype, copy=False))
        return value

    def _gather_flat_grad(self) -> np.ndarray:
        views = [np.zeros(p._data.size, p._data.dtype) if p.grad is None else p.grad._data.reshape(-1)
                 for p in self._params]
        flat_grad = np.concatenate(views)
        if self.param_groups[0].get("maximize", False):
            np.negative(flat_grad, out=flat_grad)
        return flat_grad

    def _add_grad(self, step_size: Any, update: np.ndarray) -> None:
        offset = 0
        for p in self._params:
            numel = p._data.size
            p._data += step_size * update[offset:offset + numel].reshape(p._data.shape)
            p._vc[0] += 1
            offset += numel

    def _set_param(self, params_data: list) -> None:
        for p, pdata in zip(self._params, params_data):
            p._data[...] = pdata
            p._vc[0] += 1

    def _evaluate(self, closure: Callable[[], Any]) -> float:
        with enable_grad():
            loss = float(closure())
        return -loss if self.param_groups[0].get("maximize", False) else loss

    def _directional_evaluate(self, closure: Callable[[], Any], x: list, t: Any, d: np.ndarray) -> tuple:
        self._add_grad(t, d)
        loss = self._evaluate(closure)
        flat_grad = self._gather_flat_grad()
        self._set_param(x)
        return loss, flat_grad

    def step(self, closure: Callable[[], Any]) -> Any:  # type: ignore[override]
        r"""Up to ``max_iter`` L-BFGS iterations; ``closure`` clears the gradients, recomputes and returns the loss.

        Two-loop recursion over the last ``history_size`` pairs :math:`s_k = t_k d_k`,
        :math:`y_k = g_{k+1} - g_k` (kept when :math:`y_k^\top s_k > 10^{-10}`), :math:`\rho_k = 1/y_k^\top s_k`,
        initial Hessian :math:`H_0 = y^\top s / y^\top y`: :math:`d = -H g`; the first step is
        :math:`\min(1, 1/\lVert g\rVert_1)\,\gamma`, later ones :math:`\gamma` or the strong-Wolfe step.
        Returns the closure's first loss.
        """
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        with enable_grad():
            orig_loss = closure()
        if len(self._params) == 0:
            return orig_loss
        with no_grad():
            self._iterate(closure, orig_loss)
        return orig_loss

    def _iterate(self, closure: Callable[[], Any], orig_loss: Any) -> None:
        group = self.param_groups[0]
        lr, max_iter, max_eval = group["lr"], group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        line_search_fn, history_size = group["line_search_fn"], group["history_size"]
        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)
        loss = -float(orig_loss) if group.get("maximize", False) else float(orig_loss)
        current_evals = 1
        state["func_evals"] += 1
        flat_grad = self._gather_flat_grad()
        if np.abs(flat_grad).max() <= tolerance_grad:
            return
        saved = {k: _unwrap(state.get(k)) for k in ("d", "t", "old_dirs", "old_stps", "ro", "H_diag",
                                                      "prev_flat_grad", "prev_loss", "al")}
        d, t, old_dirs, old_stps, ro, H_diag, prev_flat_grad, prev_loss, al = saved.values()
        if isinstance(d, np.ndarray):
            d = d.copy()
        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                d = -flat_grad
                old_dirs, old_stps, ro, H_diag = [], [], [], 1
            else:
                y = flat_grad - prev_flat_grad
                s = d * t
                ys = y.dot(s)
                if ys > 1e-10:
                    if len(old_dirs) == history_size:
                        old_dirs.pop(0)
                        old_stps.pop(0)
                        ro.pop(0)
                    old_dirs.append(y)
                    old_stps.append(s)
                    ro.append(1.0 / ys)
                    H_diag = ys / y.dot(y)
                if al is None:
                    al = [None] * history_size
                q = -flat_grad
                for i in range(len(old_dirs) - 1, -1, -1):
                    al[i] = old_stps[i].dot(q) * ro[i]
                    q += -al[i] * old_dirs[i]
                d = r = q * H_diag
                for i in range(len(old_dirs)):
                    be_i = old_dirs[i].dot(r) * ro[i]
                    r += (al[i] - be_i) * old_stps[i]
            prev_flat_grad = flat_grad.copy()
            prev_loss = loss
            t = min(1.0, 1.0 / np.abs(flat_grad).sum()) * lr if state["n_iter"] == 1 else lr
            gtd = flat_grad.dot(d)
            if gtd > -tolerance_change:
                break
            ls_func_evals = 0
            if line_search_fn is not None:
                if line_search_fn != "strong_wolfe":
                    raise RuntimeError("only 'strong_wolfe' is supported")
                x_init = [p._data.copy() for p in self._params]

                def obj_func(x: list, t: Any, d: np.ndarray) -> tuple:
                    return self._directional_evaluate(closure, x, t, d)
                loss, flat_grad, t, ls_func_evals = _strong_wolfe(obj_func, x_init, t, d, loss, flat_grad, gtd,
                                                                  max_ls=max_eval - current_evals)
                self._add_grad(t, d)
                opt_cond = np.abs(flat_grad).max() <= tolerance_grad
            else:
                self._add_grad(t, d)
                opt_cond = False
                if n_iter != max_iter:
                    loss = self._evaluate(closure)
                    flat_grad = self._gather_flat_grad()
                    opt_cond = np.abs(flat_grad).max() <= tolerance_grad
                    ls_func_evals = 1
            current_evals += ls_func_evals
            state["func_evals"] += ls_func_evals
            if n_iter == max_iter or current_evals >= max_eval or opt_cond:
                break
            if np.abs(d * t).max() <= tolerance_change or abs(loss - prev_loss) < tolerance_change:
                break
        for key, value in zip(saved, (d, t, old_dirs, old_stps, ro, H_diag, prev_flat_grad, prev_loss, al)):
            if key != "al" or value is not None:  # torch creates ``al`` at the first two-loop recursion
                state[key] = _wrap(value)
