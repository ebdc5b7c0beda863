"""minitorch.onnx.export: tutorial-like models exported, checked by onnx, run in onnxruntime on the same inputs
and compared with minitorch's output and torch's (same weights); dynamic batch axes run at another batch size."""
import io
import sys
import warnings

import numpy as np
import pytest
import torch

import minitorch
from tests.parity import copy_state

onnx = pytest.importorskip("onnx", reason="minitorch.onnx needs the optional 'onnx' package")
ort = pytest.importorskip("onnxruntime", reason="running exported models needs the optional 'onnxruntime' package")

RNG = np.random.default_rng(0)


def _randn(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


def _export(model, arrays, **kw):
    """Export ``model`` on ``arrays`` (numpy) and return the checked ModelProto and an onnxruntime session."""
    buf = io.BytesIO()
    minitorch.onnx.export(model, tuple(minitorch.tensor(a) for a in arrays), buf, dynamo=False, **kw)
    proto = onnx.load_from_string(buf.getvalue())
    onnx.checker.check_model(proto, full_check=True)
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = opts.inter_op_num_threads = 1
    return proto, ort.InferenceSession(buf.getvalue(), opts, providers=["CPUExecutionProvider"])


def _run_both(mt_model, th_model, arrays):
    """minitorch's and torch's outputs (flattened, as numpy) on the same inputs."""
    def flat(out):
        if isinstance(out, (tuple, list)):
            return [x for o in out for x in flat(o)]
        return [out.detach().numpy()]
    mt_model.eval()
    th_model.eval()
    with minitorch.no_grad():
        mt_out = flat(mt_model(*[minitorch.tensor(a) for a in arrays]))
    with torch.no_grad():
        th_out = flat(th_model(*[torch.tensor(a) for a in arrays]))
    return mt_out, th_out


def _check(make, arrays, other_batch=None, atol=1e-5, **kw):
    """Build the model in both libraries with the same weights, export minitorch's, compare onnxruntime's output
    with both on ``arrays`` and, when given, on ``other_batch`` (inputs of another batch size)."""
    th_model = make(torch)
    mt_model = make(minitorch)
    copy_state(mt_model, th_model)
    proto, sess = _export(mt_model, arrays, **kw)
    names = [i.name for i in sess.get_inputs()]
    for inputs in [arrays] + ([other_batch] if other_batch is not None else []):
        got = sess.run(None, dict(zip(names, inputs)))
        mt_out, th_out = _run_both(mt_model, th_model, inputs)
        assert len(got) == len(mt_out) == len(th_out)
        for g, m, t in zip(got, mt_out, th_out):
            assert g.shape == m.shape == t.shape
            np.testing.assert_allclose(g, m, atol=atol, rtol=1e-4)
            np.testing.assert_allclose(g, t, atol=atol, rtol=1e-4)
    return proto


def _ops(proto):
    return {n.op_type for n in proto.graph.node}


def _mlp(lib):
    nn = lib.nn
    return nn.Sequential(nn.Flatten(), nn.Linear(12, 16), nn.ReLU(), nn.Dropout(0.3), nn.Linear(16, 16), nn.GELU(),
                         nn.Linear(16, 8), nn.LeakyReLU(0.1), nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 8),
                         nn.Sigmoid(), nn.Linear(8, 4), nn.Softmax(dim=1))


def test_mlp_names_dynamic_batch_and_initializers():
    proto = _check(_mlp, [_randn(3, 3, 4)], [_randn(7, 3, 4)], input_names=["pixels"], output_names=["probs"],
                   dynamic_axes={"pixels": {0: "batch"}, "probs": {0: "batch"}})
    assert [i.name for i in proto.graph.input] == ["pixels"]
    assert [o.name for o in proto.graph.output] == ["probs"]
    assert proto.graph.input[0].type.tensor_type.shape.dim[0].dim_param == "batch"
    assert proto.graph.output[0].type.tensor_type.shape.dim[0].dim_param == "batch"
    assert {"1.weight", "1.bias", "12.weight"} <= {i.name for i in proto.graph.initializer}
    assert {"Gemm", "Relu", "Gelu", "LeakyRelu", "Tanh", "Sigmoid", "Softmax", "Reshape"} <= _ops(proto)
    assert "Dropout" not in _ops(proto)  # exported in eval mode: dropout is the identity


def _lenet(lib):
    nn, F = lib.nn, lib.nn.functional

    class LeNet5(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1, self.conv2 = nn.Conv2d(1, 6, 5, padding=2), nn.Conv2d(6, 16, 5)
            self.pool = nn.AvgPool2d(2)
            self.fc1, self.fc2, self.fc3 = nn.Linear(16 * 5 * 5, 120), nn.Linear(120, 84), nn.Linear(84, 10)

        def forward(self, x):
            x = F.max_pool2d(F.relu(self.conv1(x)), 2)
            x = self.pool(F.relu(self.conv2(x)))
            x = x.view(x.size(0), -1)
            return F.log_softmax(self.fc3(F.relu(self.fc2(F.relu(self.fc1(x))))), dim=1)
    return LeNet5()


def test_lenet5_dynamic_batch():
    proto = _check(_lenet, [_randn(2, 1, 28, 28)], [_randn(5, 1, 28, 28)], input_names=["x"],
                   dynamic_axes={"x": {0: "n"}})
    assert {"Conv", "MaxPool", "AveragePool", "Gemm", "LogSoftmax"} <= _ops(proto)


def _cnn1d(lib):
    nn = lib.nn

    class CNN1d(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Conv1d(3, 8, 3, padding=1), nn.BatchNorm1d(8), nn.ReLU(), nn.MaxPool1d(2),
                                      nn.Conv1d(8, 8, 3, stride=2, dilation=2, groups=2), nn.ReLU(),
                                      nn.AvgPool1d(3, stride=1, padding=1, count_include_pad=False),
                                      nn.AdaptiveAvgPool1d(1))
            self.head = nn.Linear(8, 5)

        def forward(self, x):
            return self.head(self.body(x.transpose(1, 2)).squeeze(-1))
    return CNN1d()


def test_cnn1d_batchnorm_eval_dynamic_batch():
    def make(lib):
        m = _cnn1d(lib)
        lib.manual_seed(0)
        m.body[1].running_mean.copy_(lib.randn(8))
        m.body[1].running_var.copy_(lib.rand(8) + 0.5)
        return m
    with pytest.warns(UserWarning, match="Automatically generated names will be applied"):
        proto = _check(make, [_randn(2, 20, 3)], [_randn(4, 20, 3)], dynamic_axes={"x": [0]})
    assert {"Conv", "BatchNormalization", "MaxPool", "AveragePool", "Transpose", "GlobalAveragePool"} <= _ops(proto)
    assert proto.graph.input[0].type.tensor_type.shape.dim[0].dim_param == "x_dynamic_axes_1"


def _lstm_classifier(lib):
    nn = lib.nn

    class LSTMClassifier(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(30, 8)
            self.lstm = nn.LSTM(8, 6, num_layers=2, batch_first=True, bidirectional=True)
            self.fc = nn.Linear(12, 3)

        def forward(self, tokens):
            out, (h, c) = self.lstm(self.emb(tokens))
            return self.fc(out[:, -1]), h
    return LSTMClassifier()


def test_lstm_classifier_dynamic_batch():
    tokens = RNG.integers(0, 30, (2, 7))
    proto = _check(_lstm_classifier, [tokens], [RNG.integers(0, 30, (5, 7))], input_names=["tokens"],
                   output_names=["logits", "h_n"], dynamic_axes={"tokens": {0: "batch"}, "logits": {0: "batch"},
                                                               "h_n": {1: "batch"}})
    assert {"Gather", "MatMul", "Sigmoid", "Tanh", "Concat"} <= _ops(proto)
    assert proto.graph.input[0].type.tensor_type.elem_type == onnx.TensorProto.INT64


def _gru(lib):
    nn = lib.nn

    class GRUModel(nn.Module):
        def __init__(self):
            super().__init__()
            self.gru = nn.GRU(4, 5, num_layers=2)
            self.rnn = nn.RNN(5, 3, nonlinearity="relu")

        def forward(self, x, h0):
            out, h = self.gru(x, h0)
            return self.rnn(out)[0], h
    return GRUModel()


def test_gru_and_rnn_with_given_state():
    _check(_gru, [_randn(6, 2, 4), _randn(2, 2, 5)], [_randn(6, 3, 4), _randn(2, 3, 5)],
           input_names=["x", "h0"], dynamic_axes={"x": {1: "b"}, "h0": {1: "b"}})


def test_recurrence_over_dynamic_sequence_length_raises():
    with pytest.raises(minitorch.onnx.OnnxExporterError, match="dynamic sequence length"):
        _export(_gru(minitorch), [_randn(6, 2, 4), _randn(2, 2, 5)], input_names=["x", "h0"],
                dynamic_axes={"x": {0: "t"}})


def _attention_block(lib):
    nn, F = lib.nn, lib.nn.functional

    class AttentionBlock(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(20, 16)
            self.pos = nn.Parameter(lib.randn(1, 5, 16) * 0.1)
            self.mha = nn.MultiheadAttention(16, 4, batch_first=True)
            self.norm1, self.norm2 = nn.LayerNorm(16), nn.LayerNorm(16)
            self.qkv = nn.Linear(16, 48)
            self.out = nn.Linear(16, 4)

        def forward(self, tokens):
            x = self.emb(tokens) + self.pos
            x = self.norm1(x + self.mha(x, x, x, need_weights=False)[0])
            q, k, v = self.qkv(x).split(16, dim=-1)
            b, t = x.shape[0], x.shape[1]
            q, k, v = (z.reshape(b, t, 2, 8).permute(0, 2, 1, 3) for z in (q, k, v))
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(b, t, 16)
            x = self.norm2(x + y)
            return self.out(lib.cat([x[:, :1], x[:, 1:].mean(1, keepdim=True)], dim=1))
    return AttentionBlock()


def test_embedding_attention_block_dynamic_batch():
    proto = _check(_attention_block, [RNG.integers(0, 20, (3, 5))], [RNG.integers(0, 20, (6, 5))],
                   input_names=["tokens"], dynamic_axes={"tokens": {0: "batch"}})
    assert {"Gather", "LayerNormalization", "Softmax", "Split", "Concat", "Slice", "ReduceMean"} <= _ops(proto)


@pytest.mark.parametrize("opset", [13, 17])
def test_older_opsets_decompose_layer_norm_and_gelu(opset):
    def make(lib):
        nn = lib.nn
        return nn.Sequential(nn.Linear(6, 8), nn.LayerNorm(8), nn.GELU(approximate="tanh"), nn.Linear(8, 3),
                             nn.LayerNorm(3, elementwise_affine=False), nn.GELU())
    proto = _check(make, [_randn(4, 6)], opset_version=opset)
    assert proto.opset_import[0].version == opset
    assert ("LayerNormalization" in _ops(proto)) == (opset >= 17)
    assert "Gelu" not in _ops(proto)


def _norm_model(lib):
    nn = lib.nn

    class NormModel(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 4, 3, stride=2, padding=1, bias=False)
            self.bn = nn.BatchNorm2d(4)
            self.ln = nn.LayerNorm([4, 4])
            self.pool = nn.AdaptiveAvgPool2d(1)
            self.fc = nn.Linear(6, 2)

        def forward(self, x):
            y = self.ln(self.bn(self.conv(x)).relu())
            a, b = y.chunk(2, dim=1)
            y = lib.cat([a * b, a - b / 2, (a + 1).sigmoid()], dim=1)
            return self.fc(self.pool(y).flatten(1)), y[:, 0, 1:3, ::2]
    return NormModel()


def test_batchnorm_layernorm_model_dynamic_batch():
    def make(lib):
        m = _norm_model(lib)
        lib.manual_seed(1)
        m.bn.running_mean.copy_(lib.randn(4))
        m.bn.running_var.copy_(lib.rand(4) + 0.5)
        return m
    proto = _check(make, [_randn(2, 3, 8, 8)], [_randn(3, 3, 8, 8)], input_names=["img"],
                   output_names=["logits", "crop"], dynamic_axes={"img": {0: "n"}, "crop": {0: "n"}})
    assert {"BatchNormalization", "LayerNormalization", "Split", "Concat", "Slice", "Squeeze",
            "GlobalAveragePool"} <= _ops(proto)


def test_a_function_of_tensors_and_constants_are_folded():
    w = minitorch.randn(3, 4)

    def fn(x, y):
        scale = (w * 2).t()  # constant: folded into one initializer
        return (x @ scale) @ y.permute(1, 0)
    x, y = _randn(5, 4), _randn(2, 3)
    proto, sess = _export(fn, [x, y])
    assert [i.name for i in proto.graph.input] == ["x", "y"]
    assert [n.op_type for n in proto.graph.node] == ["MatMul", "Transpose", "MatMul"]
    want = (minitorch.tensor(x) @ (w * 2).t() @ minitorch.tensor(y).permute(1, 0)).numpy()
    np.testing.assert_allclose(sess.run(None, {"x": x, "y": y})[0], want, rtol=1e-5, atol=1e-6)


def test_export_params_false_makes_parameters_inputs():
    model = minitorch.nn.Linear(3, 2)
    proto, sess = _export(model, [_randn(4, 3)], export_params=False, input_names=["x"])
    assert [i.name for i in proto.graph.input] == ["x", "weight", "bias"]
    assert len(proto.graph.initializer) == 0
    x = _randn(4, 3)
    got = sess.run(None, {"x": x, "weight": model.weight.detach().numpy(), "bias": model.bias.detach().numpy()})[0]
    np.testing.assert_allclose(got, model(minitorch.tensor(x)).detach().numpy(), rtol=1e-6)
    proto, _ = _export(model, [x], keep_initializers_as_inputs=True, input_names=["x"])
    assert [i.name for i in proto.graph.input] == ["x", "weight", "bias"]
    assert {i.name for i in proto.graph.initializer} == {"weight", "bias"}


def test_unmapped_op_raises_naming_it():
    class LogGamma(minitorch.nn.Module):
        def forward(self, x):
            return x.exp().lgamma()
    with pytest.raises(minitorch.onnx.errors.UnsupportedOperatorError,
                       match="Exporting the operator 'minitorch::Lgamma' to ONNX opset version 20 is not supported"):
        _export(LogGamma(), [_randn(2, 3)])


def test_is_in_onnx_export_and_restored_training_mode():
    seen = []

    class Probe(minitorch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = minitorch.nn.Linear(2, 2)

        def forward(self, x):
            seen.append((minitorch.onnx.is_in_onnx_export(), self.training))
            return self.lin(x)
    model = Probe()
    assert not minitorch.onnx.is_in_onnx_export()
    _export(model, [_randn(1, 2)])
    assert seen == [(True, False)] * 2 and model.training  # the probe run, then the traced run
    assert not minitorch.onnx.is_in_onnx_export()
    assert torch.onnx.is_in_onnx_export() is False  # the same API


def test_bad_arguments():
    model = minitorch.nn.Linear(2, 2)
    x = minitorch.randn(1, 2)
    with pytest.raises(minitorch.onnx.OnnxExporterError, match="dynamo=True"):
        minitorch.onnx.export(model, (x,), io.BytesIO(), dynamo=True)
    with pytest.raises(ValueError, match="Unsupported ONNX opset version: 9"):
        minitorch.onnx.export(model, (x,), io.BytesIO(), opset_version=9)
    with pytest.raises(ValueError, match="The type of axis index is expected to be an integer"), \
            pytest.warns(UserWarning, match="No names were found"):
        minitorch.onnx.export(model, (x,), io.BytesIO(), input_names=["x"], dynamic_axes={"x": ["0"]})
    bn = minitorch.nn.BatchNorm1d(2)
    with pytest.raises(minitorch.onnx.UnsupportedOperatorError, match="NativeBatchNorm.*batch statistics"):
        minitorch.onnx.export(bn, (minitorch.randn(3, 2),), io.BytesIO(), training=minitorch.onnx.TrainingMode.TRAINING)
    assert bn.training
    with pytest.warns(minitorch.onnx.errors.OnnxExporterWarning, match="opset version 21 is not supported"):
        _, sess = _export(model, [x.numpy()], opset_version=21)
    np.testing.assert_allclose(sess.run(None, {"input": x.numpy()})[0], model(x).detach().numpy(), rtol=1e-6)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        minitorch.onnx.export(model, x, io.BytesIO(), input_names=["x"], dynamic_axes={"nope": {0: "b"}})
    assert any("Provided key nope for dynamic axes is not a valid input/output name" in str(i.message) for i in w)


def test_missing_onnx_package_names_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "onnx", None)
    with pytest.raises(ImportError, match="requires the 'onnx' package"):
        minitorch.onnx.export(minitorch.nn.Linear(2, 2), (minitorch.randn(1, 2),), io.BytesIO())


def test_export_to_a_file_path(tmp_path):
    model = minitorch.nn.Sequential(minitorch.nn.Linear(3, 3), minitorch.nn.ReLU())
    path = tmp_path / "model.onnx"
    minitorch.onnx.export(model, (minitorch.randn(2, 3),), str(path), input_names=["x"], output_names=["y"])
    proto = onnx.load(str(path))
    onnx.checker.check_model(proto)
    x = _randn(2, 3)
    got = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(["y"], {"x": x})[0]
    np.testing.assert_allclose(got, model(minitorch.tensor(x)).detach().numpy(), rtol=1e-6)


def _residual(lib):
    nn = lib.nn

    class Residual(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1, self.conv2 = nn.Conv2d(4, 4, 3, padding=1), nn.Conv2d(4, 4, 3, padding=1)
            self.act = nn.ReLU(inplace=True)

        def forward(self, x):
            out = self.act(self.conv1(x))
            out = self.conv2(out)
            out += x
            return self.act(out)
    return Residual()


def test_in_place_ops_and_no_constant_folding():
    proto = _check(_residual, [_randn(2, 4, 6, 6)], [_randn(3, 4, 6, 6)], dynamic_axes={"x": {0: "b"}},
                   do_constant_folding=False)
    assert [n.op_type for n in proto.graph.node] == ["Conv", "Relu", "Conv", "Add", "Relu"]
    assert {i.name for i in proto.graph.initializer} == {"conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias"}


def test_verbose_prints_the_graph(capsys):
    _export(minitorch.nn.Linear(2, 3), [_randn(1, 2)], verbose=True, input_names=["x"])
    printed = capsys.readouterr().out
    assert "Gemm" in printed and "(x, weight, bias)" in printed


def test_values_computed_outside_the_traced_ops_are_refused():
    def masked(x):
        return x * (x > 0)  # the comparison runs outside the autograd ops: its result would be frozen
    with pytest.raises(minitorch.onnx.OnnxExporterError, match=r"operand 1 of op #\d+ \(Mul\) depends on the inputs"):
        _export(masked, [_randn(3, 4)])


def test_control_flow_on_values_is_refused():
    def branch(x):
        # the probe run's other values take the other branch
        return x.exp() if x.detach().numpy()[0, 0] == 1 else x.tanh()
    x = _randn(3, 4)
    x[0, 0] = 1
    with pytest.raises(minitorch.onnx.OnnxExporterError, match="its ops depend on the input values"):
        _export(branch, [x])


def _zoo(lib):
    nn, F = lib.nn, lib.nn.functional

    class Zoo(nn.Module):
        def __init__(self):
            super().__init__()
            self.acts = nn.ModuleList([nn.ELU(0.7), nn.SiLU(), nn.Softplus(2.0, 1.5), nn.Hardtanh(-0.5, 0.5),
                                       nn.Hardswish(), nn.ReLU6(), nn.LogSoftmax(-1)])

        def forward(self, x):
            parts = [a(x) for a in self.acts]
            parts += [x.clamp(min=-0.3), x.clamp(-0.2, 0.4), x.abs().sqrt(), x.abs().add(1).log().rsqrt(),
                      x.flip(-1), F.pad(x, (1, -1), value=0.5), x.cumsum(-1), -x / 3 - 1, 2 ** x.tanh(),
                      x.pow(2).reciprocal().neg(), x.sin() * x.cos(), x.exp() - 1]
            y = lib.stack(parts, dim=1)
            values, idx = y.max(dim=2)
            return (values + y.var(2, unbiased=True) - y.std(-1, keepdim=True).squeeze(-1) + y.logsumexp(2)
                    + y.amin(2) + y.max() + y.mean(dim=(1, 2), keepdim=True)[:, 0]), idx, y.sum(1).unsqueeze(0)
    return Zoo()


@pytest.mark.parametrize("opset", [13, 20])
def test_activation_and_elementwise_zoo(opset):
    proto = _check(_zoo, [_randn(3, 6)], [_randn(5, 6)], dynamic_axes={"x": {0: "b"}}, opset_version=opset)
    assert {"Elu", "Softplus", "Clip", "HardSwish" if opset >= 14 else "HardSigmoid", "Pad", "CumSum", "ArgMax",
            "Pow"} <= _ops(proto)


def _autoencoder(lib):
    nn = lib.nn
    return nn.Sequential(nn.Conv2d(2, 4, 3, stride=2, padding=1), nn.ReLU(),
                         nn.ConvTranspose2d(4, 3, 3, stride=2, padding=1, output_padding=1), nn.Sigmoid(),
                         nn.Identity())


def test_conv_transpose_autoencoder():
    proto = _check(_autoencoder, [_randn(2, 2, 8, 8)], [_randn(3, 2, 8, 8)], dynamic_axes={"input": {0: "b"}})
    assert {"Conv", "ConvTranspose"} <= _ops(proto)


def _transformer(lib):
    nn = lib.nn

    class EncoderLayer(nn.Module):
        def __init__(self):
            super().__init__()
            self.attn = nn.MultiheadAttention(16, 2, dropout=0.1)
            self.ff = nn.Sequential(nn.Linear(16, 32), nn.GELU(), nn.Dropout(0.1), nn.Linear(32, 16))
            self.norm1, self.norm2 = nn.LayerNorm(16), nn.LayerNorm(16)

        def forward(self, x):
            y = x.transpose(0, 1)  # (T, B, E), torch's default layout
            out, weights = self.attn(y, y, y)  # need_weights=True: explicit softmax, weights averaged over heads
            x = self.norm1(x + out.transpose(0, 1))
            return self.norm2(x + self.ff(x)), weights
    return EncoderLayer()


def test_encoder_layer_with_attention_weights():
    proto = _check(_transformer, [_randn(2, 5, 16)], [_randn(4, 5, 16)], dynamic_axes={"x": {0: "batch"}},
                   atol=2e-5)
    assert {"Softmax", "LayerNormalization", "ReduceMean"} <= _ops(proto)


def test_keyword_inputs_a_float_mask_and_a_boolean_mask_refused():
    class Masked(minitorch.nn.Module):
        def __init__(self):
            super().__init__()
            self.mha = minitorch.nn.MultiheadAttention(8, 2, batch_first=True)

        def forward(self, x, pad=None):
            return self.mha(x, x, x, key_padding_mask=pad, need_weights=False)[0]
    th = torch.nn.MultiheadAttention(8, 2, batch_first=True).eval()
    model = Masked()
    copy_state(model.mha, th)
    x, pad = _randn(2, 4, 8), np.array([[0, 0, -np.inf, -np.inf], [0, 0, 0, -np.inf]], np.float32)
    buf = io.BytesIO()
    minitorch.onnx.export(model, (minitorch.tensor(x), {"pad": minitorch.tensor(pad)}), buf,
                          dynamic_axes={"x": {0: "b"}, "pad": {0: "b"}})
    sess = ort.InferenceSession(buf.getvalue(), providers=["CPUExecutionProvider"])
    assert [i.name for i in sess.get_inputs()] == ["x", "pad"]
    x3, pad3 = _randn(3, 4, 8), np.array([[0] * 4, [0, -np.inf, -np.inf, -np.inf], [0, 0, 0, -np.inf]], np.float32)
    for xs, ps in ((x, pad), (x3, pad3)):
        got = sess.run(None, {"x": xs, "pad": ps})[0]
        with torch.no_grad():
            want = th(*[torch.tensor(xs)] * 3, key_padding_mask=torch.tensor(ps), need_weights=False)[0].numpy()
        np.testing.assert_allclose(got, want, atol=1e-5, rtol=1e-4)
    # minitorch turns a boolean mask into a float one with numpy, outside the traced ops: refused, not frozen
    with pytest.raises(minitorch.onnx.OnnxExporterError, match="depends on the inputs but was computed outside"):
        minitorch.onnx.export(model, (minitorch.tensor(x), {"pad": minitorch.tensor(np.isinf(pad))}), buf)


def test_a_constant_shaped_by_a_dynamic_axis_is_refused():
    def offset(x):
        return x + minitorch.ones(x.shape[0], 3)  # a constant of the traced batch size
    proto, sess = _export(offset, [_randn(2, 3)])  # fine without dynamic axes
    assert len(proto.graph.initializer) == 1
    with pytest.raises(minitorch.onnx.OnnxExporterError, match=r"operand 1 of op #0 \(Add\) is a constant of shape "
                                                                r"\[2, 3\] that follows a dynamic axis"):
        _export(offset, [_randn(2, 3)], dynamic_axes={"x": {0: "b"}})
