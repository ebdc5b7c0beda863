"""Recurrent layers: ``RNN``, ``LSTM``, ``GRU`` and their single-step cells.

Each layer and direction does the input projection of all time steps in one GEMM
(``F.linear``) and runs the recurrence ``h @ W_hh^T`` step by step in one fused op
(``minitorch/ops/rnn.py``), whose backward produces ``dW_hh`` as one stacked GEMM.
Parameter names, their order, gate orders (i, f, g, o for LSTM; r, z, n for GRU) and the
default initialisation U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)) are PyTorch's.
"""
from __future__ import annotations

import math
import numbers
import warnings
from typing import Any

from minitorch import creation
from minitorch.autograd.grad_mode import no_grad
from minitorch.nn import functional as F
from minitorch.nn.modules.module import Module
from minitorch.nn.parameter import Parameter
from minitorch.ops.rnn import GRULayer, LSTMLayer, RNNLayer
from minitorch.ops.shape import cat, stack
from minitorch._tensor import Tensor

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


def _recurrence(mode: str, x: Tensor, state: Any, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None,
                b_hh: Tensor | None, reverse: bool) -> tuple:
    """One direction of one layer over x (T, B, I): (all hidden states (T, B, H), final state)."""
    if mode == "GRU":
        hs = GRULayer.apply(F.linear(x, w_ih, b_ih), state, w_hh, b_hh, reverse)[0]
        return hs, hs[0 if reverse else -1]
    bias = b_ih + b_hh if b_ih is not None else None
    xw = F.linear(x, w_ih, bias)
    last = 0 if reverse else -1
    if mode == "LSTM":
        hs, cs, _ = LSTMLayer.apply(xw, state[0], state[1], w_hh, reverse)
        return hs, (hs[last], cs[last])
    hs = RNNLayer.apply(xw, state, w_hh, reverse, mode == "RNN_RELU")
    return hs, hs[last]


def _init_uniform(module: Module, hidden_size: int) -> None:
    """Every parameter ~ U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), as torch's RNNs."""
    stdv = 1.0 / math.sqrt(hidden_size) if hidden_size > 0 else 0
    with no_grad():
        for weight in module.parameters():
            weight.uniform_(-stdv, stdv)


class RNNBase(Module):
    """The shared machinery of ``RNN``, ``LSTM`` and ``GRU``: parameters, checks and the layer loop."""

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, proj_size: int = 0,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        if not isinstance(dropout, numbers.Number) or isinstance(dropout, bool) or not 0 <= dropout <= 1:
            raise ValueError("dropout should be a number in range [0, 1] representing the probability of an "
                             "element being zeroed")
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so non-zero dropout "
                          f"expects num_layers greater than 1, but got dropout={dropout} and "
                          f"num_layers={num_layers}", stacklevel=2)
        for name, value in (("bias", bias), ("batch_first", batch_first)):
            if not isinstance(value, bool):
                raise TypeError(f"{name} should be of type bool, got: {type(value).__name__}")
        for name, value in (("input_size", input_size), ("hidden_size", hidden_size)):
            if not isinstance(value, int):
                raise TypeError(f"{name} should be of type int, got: {type(value).__name__}")
            if value <= 0:
                raise ValueError(f"{name} must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size != 0:
            raise ValueError("minitorch's LSTM does not support proj_size; use proj_size=0")
        if mode not in _GATES:
            raise ValueError("Unrecognized RNN mode: " + mode)
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        gate_size = _GATES[mode] * hidden_size
        num_directions = 2 if bidirectional else 1
        self._flat_weights_names: list = []
        self._all_weights: list = []
        for layer in range(num_layers):
            for direction in range(num_directions):
                layer_input_size = input_size if layer == 0 else hidden_size * num_directions
                suffix = "_reverse" if direction == 1 else ""
                shapes = [(gate_size, layer_input_size), (gate_size, hidden_size)]
                names = ["weight_ih_l{}{}", "weight_hh_l{}{}"]
                if bias:
                    shapes += [(gate_size,), (gate_size,)]
                    names += ["bias_ih_l{}{}", "bias_hh_l{}{}"]
                names = [n.format(layer, suffix) for n in names]
                for name, shape in zip(names, shapes):
                    setattr(self, name, Parameter(creation.empty(shape, dtype=dtype)))
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)
        self.reset_parameters()

    @property
    def all_weights(self) -> list:
        """The parameters grouped per layer and direction: [[w_ih, w_hh, b_ih, b_hh], ...]."""
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    def flatten_parameters(self) -> None:
        """A no-op kept for API compatibility (torch uses it to pack weights for cuDNN)."""

    def reset_parameters(self) -> None:
        """Every weight and bias ~ U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""
        _init_uniform(self, self.hidden_size)

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if self.batch_first is not False:
            s += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            s += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            s += f", bidirectional={self.bidirectional}"
        return s

    def _check_input(self, input: Tensor) -> tuple:
        """Validate the input; return it as (T, B, I) and whether it was batched."""
        name = type(self).__name__
        if not isinstance(input, Tensor):
            raise TypeError(f"{name}: expected input to be a Tensor, got {type(input).__name__}")
        if input.ndim not in (2, 3):
            raise ValueError(f"Expected 2D (unbatched) or 3D (batched) input to {name}, but got input of size: "
                             f"{list(input.shape)}")
        weight = self.weight_ih_l0
        if input.dtype != weight.dtype:
            raise ValueError(f"{name} input dtype ({input.dtype}) does not match weight dtype ({weight.dtype}). "
                             f"Convert input: input.to({weight.dtype}), or convert model: model.to({input.dtype})")
        if input.shape[-1] != self.input_size:
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, "
                               f"got {input.shape[-1]}")
        batched = input.ndim == 3
        if not batched:
            input = input.unsqueeze(1)
        elif self.batch_first:
            input = input.transpose(0, 1)
        return input, batched

    def _expected_hidden(self, batch: int) -> tuple:
        return (self.num_layers * (2 if self.bidirectional else 1), batch, self.hidden_size)

    def _check_hidden(self, hx: Tensor, batched: bool, batch: int, what: str = "hidden") -> Tensor:
        """Validate one initial state and return it as (num_layers * num_directions, B, H)."""
        if batched and hx.ndim != 3:
            raise RuntimeError(f"For batched 3-D input, hx should also be 3-D but got {hx.ndim}-D tensor")
        if not batched and hx.ndim != 2:
            raise RuntimeError(f"For unbatched 2-D input, hx should also be 2-D but got {hx.ndim}-D tensor")
        if not batched:
            hx = hx.unsqueeze(1)
        expected = self._expected_hidden(batch)
        if tuple(hx.shape) != expected:
            raise RuntimeError(f"Expected {what} size {expected}, got {list(hx.shape)}")
        return hx

    def _run(self, x: Tensor, states: list) -> tuple:
        """All layers and directions over x (T, B, I): (output (T, B, D*H), final states per layer/direction)."""
        num_directions = 2 if self.bidirectional else 1
        finals = []
        for layer in range(self.num_layers):
            outs = []
            for direction in range(num_directions):
                k = layer * num_directions + direction
                params = self.all_weights[k]
                w_ih, w_hh = params[0], params[1]
                b_ih, b_hh = (params[2], params[3]) if self.bias else (None, None)
                hs, final = _recurrence(self.mode, x, states[k], w_ih, w_hh, b_ih, b_hh, direction == 1)
                outs.append(hs)
                finals.append(final)
            x = outs[0] if num_directions == 1 else cat(outs, -1)
            if self.dropout > 0 and self.training and layer < self.num_layers - 1:
                x = F.dropout(x, self.dropout, True)
        return x, finals

    def _forward_single_state(self, input: Tensor, hx: Tensor | None) -> tuple:
        """The forward of RNN and GRU, whose state is h alone: returns (output, h_n)."""
        x, batched = self._check_input(input)
        batch = x.shape[1]
        if hx is None:
            hx = creation.zeros(self._expected_hidden(batch), dtype=x.dtype)
        else:
            hx = self._check_hidden(hx, batched, batch)
        out, finals = self._run(x, list(hx.unbind(0)))
        h_n = stack(finals, 0)
        return self._output(out, batched), h_n if batched else h_n.squeeze(1)

    def _output(self, out: Tensor, batched: bool) -> Tensor:
        if not batched:
            return out.squeeze(1)
        return out.transpose(0, 1) if self.batch_first else out


class RNN(RNNBase):
    """Elman RNN: h_t = act(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh), act = tanh or relu.

    ``RNN(input_size, hidden_size, num_layers=1, nonlinearity='tanh', bias=True, batch_first=False,
    dropout=0.0, bidirectional=False)``; ``forward(input, hx=None)`` returns ``(output, h_n)``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if len(args) > 3:
            nonlinearity = args[3]
            args = args[:3] + args[4:]
        else:
            nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.")
        super().__init__(mode, *args, **kwargs)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> tuple:
        return self._forward_single_state(input, hx)


class GRU(RNNBase):
    """Gated recurrent unit, gates r, z, n:  r = sigma(W_ir x + b_ir + W_hr h + b_hr),
    z = sigma(W_iz x + b_iz + W_hz h + b_hz),  n = tanh(W_in x + b_in + r * (W_hn h + b_hn)),
    h' = (1 - z) * n + z * h.  ``forward(input, hx=None)`` returns ``(output, h_n)``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", *args, **kwargs)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> tuple:
        return self._forward_single_state(input, hx)


class LSTM(RNNBase):
    """Long short-term memory, gates i, f, g, o = sigma, sigma, tanh, sigma of W_i* x + b_i* + W_h* h + b_h*:
    c' = f * c + i * g,  h' = o * tanh(c').  ``forward(input, (h_0, c_0)=None)`` returns
    ``(output, (h_n, c_n))``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__("LSTM", *args, **kwargs)

    def forward(self, input: Tensor, hx: tuple | None = None) -> tuple:
        x, batched = self._check_input(input)
        batch = x.shape[1]
        if hx is None:
            h0 = c0 = creation.zeros(self._expected_hidden(batch), dtype=x.dtype)
        else:
            h0, c0 = hx
            if h0.ndim != (3 if batched else 2) or c0.ndim != (3 if batched else 2):
                kind = "batched 3-D" if batched else "unbatched 2-D"
                raise RuntimeError(f"For {kind} input, hx and cx should also be {3 if batched else 2}-D but got "
                                   f"({h0.ndim}-D, {c0.ndim}-D) tensors")
            h0 = self._check_hidden(h0, batched, batch, "hidden[0]")
            c0 = self._check_hidden(c0, batched, batch, "hidden[1]")
        out, finals = self._run(x, list(zip(h0.unbind(0), c0.unbind(0))))
        h_n = stack([h for h, _ in finals], 0)
        c_n = stack([c for _, c in finals], 0)
        if not batched:
            h_n, c_n = h_n.squeeze(1), c_n.squeeze(1)
        return self._output(out, batched), (h_n, c_n)


class RNNCellBase(Module):
    """Parameters ``weight_ih`` (G*H, I), ``weight_hh`` (G*H, H), ``bias_ih``, ``bias_hh`` (G*H) of a cell."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool, num_chunks: int, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        self.weight_ih = Parameter(creation.empty((num_chunks * hidden_size, input_size), dtype=dtype))
        self.weight_hh = Parameter(creation.empty((num_chunks * hidden_size, hidden_size), dtype=dtype))
        if bias:
            self.bias_ih = Parameter(creation.empty(num_chunks * hidden_size, dtype=dtype))
            self.bias_hh = Parameter(creation.empty(num_chunks * hidden_size, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            s += f", nonlinearity={self.nonlinearity}"
        return s

    def reset_parameters(self) -> None:
        """Every weight and bias ~ U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""
        _init_uniform(self, self.hidden_size)

    def _prepare(self, input: Tensor, hx: Any) -> tuple:
        """Validate the input, add a batch dim to unbatched input: (input (B, I), hx, batched)."""
        name = type(self).__name__
        if input.ndim not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.ndim}D instead")
        if input.shape[-1] != self.input_size:
            raise RuntimeError(f"{name}: input has inconsistent input_size: got {input.shape[-1]} expected "
                               f"{self.input_size}")
        states = hx if isinstance(hx, tuple) else (hx,)
        for k, h in enumerate(states):
            if h is None:
                continue
            if h.ndim not in (1, 2):
                what = f"hx[{k}]" if isinstance(hx, tuple) else "hidden"
                raise ValueError(f"{name}: Expected {what} to be 1D or 2D, got {h.ndim}D instead")
            if h.ndim != input.ndim:
                raise RuntimeError(f"{name}: Expected hidden{k} to be {input.ndim}D like the input, got hidden{k} of "
                                   f"size {list(h.shape)} and input of size {list(input.shape)}")
            if h.shape[-1] != self.hidden_size:
                raise RuntimeError(f"{name}: hidden{k} has inconsistent hidden_size: got {h.shape[-1]}, expected "
                                   f"{self.hidden_size}")
            if h.ndim == 2 and h.shape[0] != input.shape[0]:
                raise RuntimeError(f"{name}: Input batch size {input.shape[0]} doesn't match hidden{k} batch size "
                                   f"{h.shape[0]}")
        batched = input.ndim == 2
        if not batched:
            input = input.unsqueeze(0)
            hx = tuple(h.unsqueeze(0) for h in hx) if isinstance(hx, tuple) else (
                hx.unsqueeze(0) if hx is not None else None)
        return input, hx, batched

    def _zeros(self, input: Tensor) -> Tensor:
        return creation.zeros((input.shape[0], self.hidden_size), dtype=input.dtype)


class RNNCell(RNNCellBase):
    """One Elman step: h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh), act = tanh or relu."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, nonlinearity: str = "tanh",
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=1, dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        if self.nonlinearity not in ("tanh", "relu"):
            raise RuntimeError(f"RNNCell: Unknown nonlinearity: {self.nonlinearity}. Select from 'tanh' or 'relu'.")
        input, hx, batched = self._prepare(input, hx)
        h0 = self._zeros(input) if hx is None else hx
        mode = "RNN_TANH" if self.nonlinearity == "tanh" else "RNN_RELU"
        h = _recurrence(mode, input[None], h0, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh, False)[1]
        return h if batched else h.squeeze(0)


class LSTMCell(RNNCellBase):
    """One LSTM step: gates i, f, g, o; c' = f * c + i * g, h' = o * tanh(c'); returns ``(h', c')``."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=4, dtype=dtype)

    def forward(self, input: Tensor, hx: tuple | None = None) -> tuple:
        input, hx, batched = self._prepare(input, hx)
        if hx is None:
            hx = (self._zeros(input), self._zeros(input))
        h, c = _recurrence("LSTM", input[None], hx, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh,
                           False)[1]
        return (h, c) if batched else (h.squeeze(0), c.squeeze(0))


class GRUCell(RNNCellBase):
    """One GRU step: r, z, n gates with n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), h' = (1 - z) n + z h."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=3, dtype=dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        input, hx, batched = self._prepare(input, hx)
        h0 = self._zeros(input) if hx is None else hx
        h = _recurrence("GRU", input[None], h0, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh, False)[1]
        return h if batched else h.squeeze(0)
