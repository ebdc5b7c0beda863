"""The graph of a backward pass drawn: to_dot (one node per function, named like torch's grad_fns), render, and the
self-contained HTML page."""
import os
import shutil

import numpy as np
import pytest
import torch

import minitorch as mt
from minitorch.autograd.graph import render, to_dot
from minitorch.autograd.graph_page import page_html, write_page
from tests.autograd._graphs import small_graph


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
