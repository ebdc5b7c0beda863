"""Grad mode is thread-local, as in torch: a ``no_grad`` inference thread beside a training thread,
interleaved blocks in two threads, new threads starting with recording on, ``inference_mode``, the
decorators, and the engine's other switches (anomaly detection, backward tracing)."""
import sys
import threading

import numpy as np
import pytest
import torch

import minitorch


@pytest.fixture
def fast_switching():
    """Make the interpreter switch threads every microsecond, so the threads really interleave."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(old)


def _run_threads(*targets):
    errors = []

    def guard(fn):
        def run():
            try:
                fn()
            except BaseException as e:  # noqa: BLE001 - reported to the main thread below
                errors.append(e)
        return run

    threads = [threading.Thread(target=guard(t)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def test_training_thread_beside_no_grad_inference_thread(fast_switching):
    """50 runs of 50 steps each: the trainer always records and the inference thread never does."""
    w0 = np.random.default_rng(0).standard_normal((8, 4))
    x = minitorch.tensor(np.random.default_rng(1).standard_normal((16, 8)))
    for run in range(50):
        w = minitorch.tensor(w0, requires_grad=True)
        start = threading.Barrier(2)

        def train():
            nonlocal w
            start.wait()
            for _ in range(50):
                loss = (x @ w).tanh().sum()
                assert loss.requires_grad and minitorch.is_grad_enabled()
                loss.backward()
                with minitorch.no_grad():
                    w -= 0.01 * w.grad
                w.grad = None

        def infer():
            start.wait()
            for _ in range(50):
                with minitorch.no_grad():
                    out = (x @ w).tanh()
                    assert not out.requires_grad and not minitorch.is_grad_enabled()

        _run_threads(train, infer)
        assert minitorch.is_grad_enabled(), f"run {run} left the main thread's mode changed"


def _interleaved(lib, manager_a, manager_b):
    """A enters, B enters, A exits, B exits, each thread reading its own mode at every step."""
    seen = {"a": [], "b": []}
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()

    def a():
        seen["a"].append(lib.is_grad_enabled())
        with manager_a(lib):
            seen["a"].append(lib.is_grad_enabled())
            a_in.set()
            b_in.wait()
            seen["a"].append(lib.is_grad_enabled())
        seen["a"].append(lib.is_grad_enabled())
        a_out.set()

    def b():
        a_in.wait()
        seen["b"].append(lib.is_grad_enabled())
        with manager_b(lib):
            seen["b"].append(lib.is_grad_enabled())
            b_in.set()
            a_out.wait()
            seen["b"].append(lib.is_grad_enabled())
        seen["b"].append(lib.is_grad_enabled())

    _run_threads(a, b)
    seen["main"] = lib.is_grad_enabled()
    return seen


MANAGERS = {
    "no_grad": lambda lib: lib.no_grad(),
    "enable_grad": lambda lib: lib.enable_grad(),
    "set_grad_enabled(False)": lambda lib: lib.set_grad_enabled(False),
    "set_grad_enabled(True)": lambda lib: lib.set_grad_enabled(True),
    "inference_mode": lambda lib: lib.inference_mode(),
}


@pytest.mark.parametrize("a", list(MANAGERS))
@pytest.mark.parametrize("b", ["no_grad", "enable_grad", "set_grad_enabled(False)"])
def test_interleaved_blocks_leave_each_thread_as_it_was(a, b):
    mine, theirs = (_interleaved(lib, MANAGERS[a], MANAGERS[b]) for lib in (minitorch, torch))
    assert mine == theirs
    assert mine["a"][0] == mine["a"][-1] and mine["b"][0] == mine["b"][-1]


@pytest.mark.parametrize("outer", ["no_grad", "set_grad_enabled(False)"])
def test_new_thread_starts_with_recording_on(outer):
    seen = {}
    for lib in (minitorch, torch):
        with MANAGERS[outer](lib):
            got = []
            _run_threads(lambda: got.append((lib.is_grad_enabled(), lib.ones(2, requires_grad=True).exp().requires_grad)))
            seen[lib] = (got[0], lib.is_grad_enabled())
    assert seen[minitorch] == seen[torch] == ((True, True), False)


def test_inference_mode_is_thread_local():
    seen = {}
    for lib in (minitorch, torch):
        inside, other = threading.Event(), []

        def hold():
            with lib.inference_mode():
                inside.set()
                other.append(lib.is_inference_mode_enabled())
                done.wait()

        done = threading.Event()
        t = threading.Thread(target=hold)
        t.start()
        inside.wait()
        here = (lib.is_inference_mode_enabled(), lib.is_grad_enabled())
        done.set()
        t.join()
        seen[lib] = (here, other, lib.is_inference_mode_enabled())
    assert seen[minitorch] == seen[torch] == ((False, True), [True], False)


@pytest.mark.parametrize("decorator", ["no_grad", "enable_grad", "inference_mode"])
def test_decorated_function_called_from_two_threads(decorator, fast_switching):
    """One decorator instance, overlapping calls: each call restores the mode its own thread had."""
    for lib in (minitorch, torch):
        @getattr(lib, decorator)()
        def step():
            return lib.is_grad_enabled()

        expect = decorator == "enable_grad"
        results = {"plain": [], "off": []}

        def plain():
            for _ in range(200):
                results["plain"].append((step(), lib.is_grad_enabled()))

        def off():
            with lib.no_grad():
                for _ in range(200):
                    results["off"].append((step(), lib.is_grad_enabled()))

        _run_threads(plain, off)
        assert set(results["plain"]) == {(expect, True)}, lib.__name__
        assert set(results["off"]) == {(expect, False)}, lib.__name__


def test_anomaly_detection_is_scoped_to_its_thread():
    """minitorch keeps anomaly detection per thread (torch keeps it process-wide): a ``detect_anomaly``
    block in one thread neither checks nor fails another thread's backward."""
    inside, done = threading.Event(), threading.Event()

    def hold():
        with minitorch.autograd.detect_anomaly():
            inside.set()
            done.wait()
            assert minitorch.autograd.is_anomaly_enabled()

    t = threading.Thread(target=hold)
    t.start()
    inside.wait()
    try:
        assert not minitorch.autograd.is_anomaly_enabled()
        x = minitorch.tensor([0.0], requires_grad=True)
        x.sqrt().backward()  # gradient inf: an error only where anomaly detection is on
        assert x.grad.item() == float("inf")
    finally:
        done.set()
        t.join()
    with minitorch.autograd.detect_anomaly():
        x = minitorch.tensor([0.0], requires_grad=True)
        with pytest.raises(RuntimeError, match="SqrtBackward0' returned nan values"):
            (x.sqrt() * 0).sum().backward()  # 0 * inf = nan


def test_trace_records_only_its_own_thread():
    from minitorch.autograd import trace_backward

    inside, done = threading.Event(), threading.Event()
    traced = []

    def hold():
        with trace_backward() as tr:
            inside.set()
            done.wait()
            traced.extend(r.name for r in tr.records)

    t = threading.Thread(target=hold)
    t.start()
    inside.wait()
    x = minitorch.ones(3, requires_grad=True)
    (x * 2).exp().sum().backward()
    done.set()
    t.join()
    assert traced == []
    with trace_backward() as tr:
        (x * 2).exp().sum().backward()
    assert len(tr.records) > 0


class _Cube(minitorch.autograd.function.Op):
    """y = x^3, dy/dx = 3 x^2; in array mode its backward waits on ``hold`` (set by the test)."""

    arrays_in_backward = True
    hold: tuple | None = None  # (inside, release) events

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        if isinstance(grad, np.ndarray) and _Cube.hold is not None:
            inside, release = _Cube.hold
            inside.set()
            release.wait(10)
        return grad * 3 * x * x


def test_two_threads_backward_over_one_graph_in_different_modes():
    """Thread A is inside the node's backward in array mode while thread B runs create_graph backward
    through the same node: B must see Tensors (a differentiable gradient), A arrays."""
    x = minitorch.tensor([1.0, 2.0], dtype=minitorch.float64, requires_grad=True)
    y = _Cube.apply(x).sum()
    inside, release = threading.Event(), threading.Event()
    _Cube.hold = (inside, release)
    got = {}

    def array_pass():
        got["a"] = minitorch.autograd.grad(y, x, retain_graph=True)[0]

    def graph_pass():
        inside.wait(10)
        (g,) = minitorch.autograd.grad(y, x, create_graph=True, retain_graph=True)
        got["b"] = g
        got["bb"] = minitorch.autograd.grad(g.sum(), x)[0]
        release.set()

    try:
        _run_threads(array_pass, graph_pass)
    finally:
        _Cube.hold = None
    xt = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    (gt,) = torch.autograd.grad((xt ** 3).sum(), xt, create_graph=True)
    np.testing.assert_allclose(got["a"].numpy(), gt.detach().numpy())
    assert got["b"].requires_grad and got["b"].grad_fn is not None
    np.testing.assert_allclose(got["bb"].numpy(), torch.autograd.grad(gt.sum(), xt)[0].numpy())


def test_hook_reading_saved_tensors_during_backward_gets_tensors():
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    seen = []
    y.grad_fn.register_hook(lambda grad_in, grad_out: seen.append(type(y.grad_fn.saved_tensors[0])))
    y.sum().backward()
    assert seen == [minitorch.Tensor]
