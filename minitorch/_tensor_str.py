"""``repr`` of a Tensor, formatted the way ``torch`` prints (precision 4, threshold 1000, width 80)."""
from __future__ import annotations

import math

import numpy as np

PRECISION, THRESHOLD, EDGEITEMS, LINEWIDTH = 4, 1000, 3, 80


class _Formatter:
    """Chooses integer, fixed or scientific notation from the values, as torch's ``_Formatter``.

    The width comes from the non-zero finite values only; nan and inf are printed unpadded beyond it.
    """

    def __init__(self, values: np.ndarray):
        self.floating = values.dtype.kind == "f"
        self.int_mode, self.sci_mode, self.max_width = True, False, 1
        flat = values.ravel()
        if not self.floating:
            self.max_width = max((len(self._plain(v)) for v in flat), default=1)
            return
        finite = flat[np.isfinite(flat) & (flat != 0)].astype(np.float64)
        if finite.size == 0:
            return
        amin, amax = np.abs(finite).min(), np.abs(finite).max()
        self.int_mode = bool(np.all(finite == np.ceil(finite)))
        self.sci_mode = bool(amax / amin > 1000.0 or amax > 1.0e8 or amin < 1.0e-4)
        if self.sci_mode:
            strs = [f"{v:.{PRECISION}e}" for v in finite]
        elif self.int_mode:
            strs = [f"{v:.0f}." for v in finite]
        else:
            strs = [f"{v:.{PRECISION}f}" for v in finite]
        self.max_width = max(len(s) for s in strs)

    def _plain(self, v: object) -> str:
        if isinstance(v, np.bool_):
            return "True" if v else "False"
        return str(v)

    def format(self, v: object) -> str:
        if not self.floating:
            s = self._plain(v)
        elif self.sci_mode:
            s = f"{v:.{PRECISION}e}"
        elif self.int_mode:
            s = f"{v:.0f}" + ("." if math.isfinite(v) else "")
        else:
            s = f"{v:.{PRECISION}f}"
        return " " * (self.max_width - len(s)) + s


def _summarized(a: np.ndarray) -> np.ndarray:
    """The edge items that a summarized print shows (for choosing the format)."""
    if a.ndim == 0:
        return a.reshape(1)
    if a.shape[0] > 2 * EDGEITEMS:
        return np.concatenate([_summarized(a[:EDGEITEMS]), _summarized(a[-EDGEITEMS:])])
    return np.concatenate([_summarized(x) for x in a]) if a.shape[0] else a.reshape(-1)


def _vector(a: np.ndarray, fmt: _Formatter, indent: int, summarize: bool) -> str:
    width = fmt.max_width + 2
    per_line = max(math.floor((LINEWIDTH - indent) / width), 1)
    if summarize and a.shape[0] > 2 * EDGEITEMS:
        items = [fmt.format(v) for v in a[:EDGEITEMS]] + [" ..."] + [fmt.format(v) for v in a[-EDGEITEMS:]]
    else:
        items = [fmt.format(v) for v in a]
    lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _nested(a: np.ndarray, fmt: _Formatter, indent: int, summarize: bool) -> str:
    if a.ndim == 1:
        return _vector(a, fmt, indent, summarize)
    sep = "," + "\n" * (a.ndim - 1) + " " * (indent + 1)
    if summarize and a.shape[0] > 2 * EDGEITEMS:
        parts = [_nested(x, fmt, indent + 1, summarize) for x in a[:EDGEITEMS]] + ["..."]
        parts += [_nested(x, fmt, indent + 1, summarize) for x in a[-EDGEITEMS:]]
    else:
        parts = [_nested(x, fmt, indent + 1, summarize) for x in a]
    return "[" + sep.join(parts) + "]"


def tensor_str(a: np.ndarray, prefix: str = "tensor(") -> str:
    """The body of ``repr(tensor)``: nested brackets aligned after ``prefix``."""
    if a.size == 0:
        return "[]"
    summarize = a.size > THRESHOLD
    fmt = _Formatter(_summarized(a) if summarize else a)
    if a.ndim == 0:
        return fmt.format(a.item() if a.dtype.kind != "b" else np.bool_(a.item())).strip()
    return _nested(a, fmt, len(prefix), summarize)


def add_suffixes(body: str, suffixes: list, indent: int) -> str:
    """Append ``, dtype=...``-style suffixes, wrapping onto a new line past the line width (torch's rule)."""
    parts = [body]
    last_line_len = len(body) - body.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > LINEWIDTH:
            parts.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line_len += len(suffix) + 2
    parts.append(")")
    return "".join(parts)
