"""Issue 7's instruments: DOT drawing, rendering, backward trace, anomaly mode, hooks, the HTML page."""
import os
import shutil

import numpy as np
import pytest
import torch

import minitorch as mt
from minitorch.autograd.graph import render, to_dot
from minitorch.autograd.graph_page import page_html, write_page


def small_graph():
    w = mt.tensor([[0.5, -1.0], [2.0, 0.1], [0.3, 0.3]], requires_grad=True)
    b = mt.zeros(2, requires_grad=True)
    x = mt.tensor(np.arange(12, dtype=np.float32).reshape(4, 3) / 10)
    y = ((x @ w + b).tanh() ** 2).sum()
    return y, {"w": w, "b": b}


def test_to_dot_has_one_node_per_function_named_like_torch():
    y, params = small_graph()
    dot = to_dot(y, params=params)
    for name in ("SumBackward0", "PowBackward0", "TanhBackward0", "AddBackward0", "MmBackward0"):
        assert dot.count(f'"{name}"') == 1, name
    assert '"w\\n(3, 2)"' in dot and '"b\\n(2)"' in dot
    assert dot.count("->") == 7  # w->MatMul->Add<-b, Add->Tanh->Pow->Sum, Sum->output
    assert "saved" not in dot


def test_to_dot_names_match_torch_grad_fn_names():
    ours, _ = small_graph()
    w = torch.tensor([[0.5, -1.0], [2.0, 0.1], [0.3, 0.3]], requires_grad=True)
    b = torch.zeros(2, requires_grad=True)
    x = torch.arange(12, dtype=torch.float32).reshape(4, 3) / 10
    theirs = ((x @ w + b).tanh() ** 2).sum()
    names_t, node = [], theirs.grad_fn
    names_m, mnode = [], ours.grad_fn
    while node is not None and mnode is not None:
        names_t.append(node.name())
        names_m.append(mnode.name())
        node, mnode = node.next_functions[0][0], mnode.next_functions[0][0]
    assert names_m[:4] == names_t[:4]


def test_to_dot_show_saved_lists_saved_tensors():
    y, params = small_graph()
    dot = to_dot(y, params=params, show_saved=True)
    assert dot.count("saved") >= 4 and "fillcolor=orange" in dot


def test_render_dot_file(tmp_path):
    y, params = small_graph()
    path = render(y, tmp_path / "g.dot", params=params)
    assert open(path).read() == to_dot(y, params)


def test_render_rejects_unknown_extension(tmp_path):
    y, _ = small_graph()
    with pytest.raises(ValueError, match="unsupported file extension '.jpg'"):
        render(y, tmp_path / "g.jpg")


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz is not installed")
@pytest.mark.parametrize("ext,magic", [(".svg", b"<svg"), (".png", b"\x89PNG")])
def test_render_through_graphviz(tmp_path, ext, magic):
    y, params = small_graph()
    path = render(y, tmp_path / f"g{ext}", params=params)
    assert magic in open(path, "rb").read()[:400]


def test_render_without_graphviz_says_what_is_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    y, _ = small_graph()
    with pytest.raises(RuntimeError, match="graphviz"):
        render(y, tmp_path / "g.svg")


def test_trace_records_every_node_in_engine_order_with_gradients():
    y, params = small_graph()
    with mt.autograd.trace_backward() as trace:
        y.backward()
    names = [r.name for r in trace.records]
    assert names[:4] == ["SumBackward0", "PowBackward0", "TanhBackward0", "AddBackward0"]
    assert names.count("torch::autograd::AccumulateGrad") == 2
    # what the Tanh node sent on equals what the Add node received
    tanh, add = trace.records[2], trace.records[3]
    assert tanh.sent[0][0] == "AddBackward0"
    assert tanh.sent[0][1] == add.received[0]
    # the leaves received exactly their final .grad
    acc = {id(r.node.variable): r for r in trace.records if r.name.endswith("AccumulateGrad")}
    for p in params.values():
        got = acc[id(p)].received[0]
        assert got["shape"] == list(p.shape)
        assert got["norm"] == pytest.approx(float(np.linalg.norm(p.grad.numpy())), rel=1e-6)
    table = trace.table()
    assert "TanhBackward0" in table and "accumulated into .grad" in table


def test_trace_stops_recording_after_the_block():
    y, _ = small_graph()
    with mt.autograd.trace_backward() as trace:
        pass
    y.backward()
    assert trace.records == []


def test_anomaly_mode_names_the_function_and_the_forward_line():
    x = mt.tensor([0.0, 1.0], requires_grad=True)
    with mt.autograd.detect_anomaly():
        y = x.sqrt()  # the culprit: d sqrt / dx is infinite at 0
        with pytest.raises(RuntimeError) as err:
            (y * 1).sum().backward()
    msg = str(err.value)
    assert "Function 'SqrtBackward0' returned inf values in its 0th output" in msg
    assert "y = x.sqrt()  # the culprit" in msg


def test_anomaly_mode_off_lets_nan_through():
    x = mt.tensor([0.0, 1.0], requires_grad=True)
    with np.errstate(divide="ignore"):
        x.sqrt().sum().backward()
    assert np.isinf(x.grad.numpy()[0])


def test_tensor_hook_can_replace_the_gradient_like_torch():
    grads = {}
    for lib in (mt, torch):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * x
        h = y.register_hook(lambda g: g * 10)
        y.sum().backward()
        h.remove()
        grads[lib.__name__] = x.grad.detach().numpy().copy()
    np.testing.assert_allclose(grads["minitorch"], grads["torch"])


class _Scale:
    @staticmethod
    def make(lib):
        class Scale(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.w = lib.nn.Parameter(lib.tensor([2.0, -1.0, 0.5]))

            def forward(self, x, y):
                return x * self.w + y

        return Scale()


def test_module_hooks_match_torch():
    results = {}
    for lib in (mt, torch):
        m = _Scale.make(lib)
        log = []
        m.register_forward_pre_hook(lambda mod, args: (args[0] * 2, args[1]))
        m.register_forward_hook(lambda mod, args, out: out + 1)
        m.register_full_backward_hook(lambda mod, gi, go: log.append((gi, go)))
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = lib.tensor([0.5, 0.5, 0.5])
        out = m(x, y)
        out.sum().backward()
        (gi, go), = log
        results[lib.__name__] = (out.detach().numpy().copy(), x.grad.numpy().copy(),
                                 gi[0].numpy().copy(), gi[1], go[0].numpy().copy())
    a, b = results["minitorch"], results["torch"]
    np.testing.assert_allclose(a[0], b[0])
    np.testing.assert_allclose(a[1], b[1])
    np.testing.assert_allclose(a[2], b[2])
    np.testing.assert_array_equal(a[3].numpy(), b[3].numpy())  # a tensor input without grad: zeros
    np.testing.assert_allclose(a[4], b[4])


def test_full_backward_hook_can_replace_grad_input():
    m = _Scale.make(mt)
    m.register_full_backward_hook(lambda mod, gi, go: (gi[0] * 0, None))
    x = mt.tensor([1.0, 2.0, 3.0], requires_grad=True)
    m(x, mt.zeros(3)).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), 0)
    assert m.w.grad is not None  # the parameter still gets its gradient


def test_hook_handles_remove():
    m = _Scale.make(mt)
    calls = []
    handles = [m.register_forward_pre_hook(lambda *a: calls.append("pre")),
               m.register_forward_hook(lambda *a: calls.append("fwd")),
               m.register_full_backward_hook(lambda *a: calls.append("bwd"))]
    x = mt.ones(3, requires_grad=True)
    m(x, x).sum().backward()
    assert calls == ["pre", "fwd", "bwd"]
    for h in handles:
        h.remove()
    m(x, x).sum().backward()
    assert calls == ["pre", "fwd", "bwd"]


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz is not installed")
def test_page_html_is_self_contained_and_holds_each_node():
    y, params = small_graph()
    with mt.autograd.anomaly_mode.record_values():
        y2 = (y * 1)
    text = page_html(y2, params)
    assert "http://" not in text.replace("http://www.w3.org", "") and "https://" not in text
    assert text.count('class="node"') == 8
    assert "MulBackward0" in text and "dz/dx = y" in text
    assert y.grad_fn is not None and params["w"].grad is None  # drawing the page does not touch .grad


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.mark.skipif(_chromium() is None or shutil.which("dot") is None, reason="needs chromium and graphviz")
def test_page_in_a_real_browser(tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    w = mt.tensor([[0.5, -1.0], [2.0, 0.1], [0.3, 0.3]], requires_grad=True)
    x = mt.tensor(np.ones((4, 3), np.float32))
    with mt.autograd.anomaly_mode.record_values():
        y = (x @ w).tanh().sum()
    path = write_page(y, tmp_path / "graph.html", params={"w": w})
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"]
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=args)
        page = browser.new_page()
        page.goto("file://" + os.path.abspath(path))
        assert page.locator("g.node").count() == 4
        page.locator("g.node", has_text="TanhBackward0").click()
        assert page.inner_text("#op-name") == "TanhBackward0"
        assert "dy/dx = 1 - y^2" in page.inner_text("#op-math")
        assert "[4, 2]" in page.inner_text("#op-value")
        assert "MmBackward0" in page.inner_text("#op-sent")
        page.locator("g.node", has_text="(3, 2)").click()
        assert page.inner_text("#op-name") == "w"
        browser.close()
