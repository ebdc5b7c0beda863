"""Recurrent layers: ``RNN``, ``LSTM``, ``GRU`` and their single-step cells.

Each layer and direction does the input projection of all time steps in one GEMM
(``F.linear``) and runs the recurrence ``h @ W_hh^T`` step by step in one fused op
(``minitorch/ops/rnn.py``), whose backward produces ``dW_hh`` as one stacked GEMM.
Parameter names, their order, gate orders (i, f, g, o for LSTM; r, z, n for GRU) and the
default initialisation U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)) are PyTorch's.

The layers also take a ``PackedSequence`` (``nn.utils.rnn``): it is run as its sorted padded
batch, each sequence over its own length (``_direction``), and the output is packed again with
the input's batch_sizes and permutations; h_n / c_n come back in the caller's batch order.
"""
from __future__ import annotations

import math
import numbers
import warnings
from typing import Any

import numpy as np

from minitorch import creation
from minitorch.autograd.grad_mode import no_grad
from minitorch.nn import functional as F
from minitorch.nn.modules.module import Module
from minitorch.nn.parameter import Parameter
from minitorch.nn.utils.rnn import PackedSequence, _packed_positions, pad_packed_sequence
from minitorch.ops.rnn import GRULayer, LSTMLayer, RNNLayer
from minitorch.ops.shape import cat, stack
from minitorch._tensor import Tensor

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


def _recurrence(mode: str, x: Tensor, state: Any, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None,
                b_hh: Tensor | None, reverse: bool) -> tuple:
    """One direction of one layer over x (T, B, I): (hidden states (T, B, H), cell states (T, B, H) or None)."""
    if mode == "GRU":
        return GRULayer.apply(F.linear(x, w_ih, b_ih), state, w_hh, b_hh, reverse)[0], None
    bias = b_ih + b_hh if b_ih is not None else None
    xw = F.linear(x, w_ih, bias)
    if mode == "LSTM":
        hs, cs, _ = LSTMLayer.apply(xw, state[0], state[1], w_hh, reverse)
        return hs, cs
    return RNNLayer.apply(xw, state, w_hh, reverse, mode == "RNN_RELU"), None


def _final(hs: Tensor, cs: Tensor | None, last: Any) -> Any:
    """The state at step ``last`` (an int, or one index per batch column): h, or (h, c) for an LSTM."""
    if not isinstance(last, int):
        last = (last, np.arange(hs.shape[1]))
    return hs[last] if cs is None else (hs[last], cs[last])


def _direction(mode: str, x: Tensor, state: Any, params: list, reverse: bool, lengths: np.ndarray | None) -> tuple:
    """One direction of one layer: (hidden states (T, B, H), final state).

    With ``lengths`` (sorted padded batch of a PackedSequence), column b holds a sequence of
    lengths[b] steps: the reverse direction runs forward over each sequence reversed within its
    length (padded steps stay after the valid ones, so they never reach a valid output) and the
    final state is read at each sequence's last valid step.
    """
    w_ih, w_hh = params[0], params[1]
    b_ih, b_hh = (params[2], params[3]) if len(params) == 4 else (None, None)
    if lengths is None:
        hs, cs = _recurrence(mode, x, state, w_ih, w_hh, b_ih, b_hh, reverse)
        return hs, _final(hs, cs, 0 if reverse else -1)
    if not reverse:
        hs, cs = _recurrence(mode, x, state, w_ih, w_hh, b_ih, b_hh, False)
        return hs, _final(hs, cs, lengths - 1)
    steps = np.arange(x.shape[0])[:, None]
    flip = (np.where(steps < lengths, lengths - 1 - steps, steps), np.arange(x.shape[1]))
    hs, cs = _recurrence(mode, x[flip], state, w_ih, w_hh, b_ih, b_hh, False)
    return hs[flip], _final(hs, cs, lengths - 1)


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

    def _check_input(self, input: Any) -> tuple:
        """Validate the input; return (x (T, B, I), batched, lengths, packed).

        A PackedSequence comes back padded in its sorted batch order with its ``lengths``;
        ``packed`` is then the input (else None) and ``lengths`` None for a plain tensor.
        """
        name = type(self).__name__
        if isinstance(input, PackedSequence):
            data = input.data
            if data.ndim != 2:
                raise RuntimeError(f"input must have 2 dimensions, got {data.ndim}")
            self._check_features(data)
            x, lengths = pad_packed_sequence(PackedSequence(data, input.batch_sizes))
            return x, True, lengths.numpy(), input
        if not isinstance(input, Tensor):
            raise TypeError(f"{name}: expected input to be a Tensor, got {type(input).__name__}")
        if input.ndim not in (2, 3):
            raise ValueError(f"Expected 2D (unbatched) or 3D (batched) input to {name}, but got input of size: "
                             f"{list(input.shape)}")
        self._check_features(input)
        batched = input.ndim == 3
        if not batched:
            input = input.unsqueeze(1)
        elif self.batch_first:
            input = input.transpose(0, 1)
        return input, batched, None, None

    def _check_features(self, input: Tensor) -> None:
        """The input's dtype must be the weights' and its last dim ``input_size``."""
        name = type(self).__name__
        weight = self.weight_ih_l0
        if input.dtype != weight.dtype:
            raise ValueError(f"{name} input dtype ({input.dtype}) does not match weight dtype ({weight.dtype}). "
                             f"Convert input: input.to({weight.dtype}), or convert model: model.to({input.dtype})")
        if input.shape[-1] != self.input_size:
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, "
                               f"got {input.shape[-1]}")

    def _expected_hidden(self, batch: int) -> tuple:
        return (self.num_layers * (2 if self.bidirectional else 1), batch, self.hidden_size)

    def _check_hidden(self, hx: Tensor, batched: bool, batch: int, what: str = "hidden",
                      packed: PackedSequence | None = None) -> Tensor:
        """Validate one initial state and return it as (num_layers * num_directions, B, H).

        For a packed input the state is in the caller's batch order and comes back in the sorted one.
        """
        if packed is not None:
            expected = self._expected_hidden(batch)
            if tuple(hx.shape) != expected:
                raise RuntimeError(f"Expected {what} size {expected}, got {list(hx.shape)}")
            return hx if packed.sorted_indices is None else hx.index_select(1, packed.sorted_indices)
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

    def _run(self, x: Tensor, states: list, lengths: np.ndarray | None = None) -> tuple:
        """All layers and directions over x (T, B, I): (output (T, B, D*H), final states per layer/direction).

        ``lengths``: the sequence lengths of a packed input's sorted, padded batch (None: all T)."""
        num_directions = 2 if self.bidirectional else 1
        finals = []
        for layer in range(self.num_layers):
            outs = []
            for direction in range(num_directions):
                k = layer * num_directions + direction
                hs, final = _direction(self.mode, x, states[k], self.all_weights[k], direction == 1, lengths)
                outs.append(hs)
                finals.append(final)
            x = outs[0] if num_directions == 1 else cat(outs, -1)
            if self.dropout > 0 and self.training and layer < self.num_layers - 1:
                x = F.dropout(x, self.dropout, True)
        return x, finals

    def _forward_single_state(self, input: Any, hx: Tensor | None) -> tuple:
        """The forward of RNN and GRU, whose state is h alone: returns (output, h_n)."""
        x, batched, lengths, packed = self._check_input(input)
        batch = x.shape[1]
        if hx is None:
            hx = creation.zeros(self._expected_hidden(batch), dtype=x.dtype)
        else:
            hx = self._check_hidden(hx, batched, batch, packed=packed)
        out, finals = self._run(x, list(hx.unbind(0)), lengths)
        return self._output(out, batched, packed), self._final_state(stack(finals, 0), batched, packed)

    def _output(self, out: Tensor, batched: bool, packed: PackedSequence | None) -> Any:
        """The output in the input's layout: (T, B, D*H), (B, T, D*H), (T, D*H) or a PackedSequence."""
        if packed is not None:
            t, b = _packed_positions(packed.batch_sizes.numpy())
            return PackedSequence(out[t, b], packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices)
        if not batched:
            return out.squeeze(1)
        return out.transpose(0, 1) if self.batch_first else out

    @staticmethod
    def _final_state(state: Tensor, batched: bool, packed: PackedSequence | None) -> Tensor:
        """h_n (or c_n) in the caller's batch order, without the batch dim for unbatched input."""
        if packed is not None and packed.unsorted_indices is not None:
            return state.index_select(1, packed.unsorted_indices)
        return state if batched else state.squeeze(1)


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

    def forward(self, input: Any, hx: tuple | None = None) -> tuple:
        x, batched, lengths, packed = self._check_input(input)
        batch = x.shape[1]
        if hx is None:
            h0 = c0 = creation.zeros(self._expected_hidden(batch), dtype=x.dtype)
        else:
            h0, c0 = hx
            if packed is None and (h0.ndim != (3 if batched else 2) or c0.ndim != (3 if batched else 2)):
                kind = "batched 3-D" if batched else "unbatched 2-D"
                raise RuntimeError(f"For {kind} input, hx and cx should also be {3 if batched else 2}-D but got "
                                   f"({h0.ndim}-D, {c0.ndim}-D) tensors")
            h0 = self._check_hidden(h0, batched, batch, "hidden[0]", packed)
            c0 = self._check_hidden(c0, batched, batch, "hidden[1]", packed)
        out, finals = self._run(x, list(zip(h0.unbind(0), c0.unbind(0))), lengths)
        h_n = self._final_state(stack([h for h, _ in finals], 0), batched, packed)
        c_n = self._final_state(stack([c for _, c in finals], 0), batched, packed)
        return self._output(out, batched, packed), (h_n, c_n)


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
        h = _recurrence(mode, input[None], h0, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh, False)[0][0]
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
        hs, cs = _recurrence("LSTM", input[None], hx, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh,
                             False)
        h, c = hs[0], cs[0]
        return (h, c) if batched else (h.squeeze(0), c.squeeze(0))


class GRUCell(RNNCellBase):
    """One GRU step: r, z, n gates with n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), h' = (1 - z) n + z h."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=3, dtype=dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        input, hx, batched = self._prepare(input, hx)
        h0 = self._zeros(input) if hx is None else hx
        h = _recurrence("GRU", input[None], h0, self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh, False)[0][0]
        return h if batched else h.squeeze(0)
