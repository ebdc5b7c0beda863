"""What a PyTorch program asks of the machine and of torch's older names, answered as torch answers it on a
machine without accelerators: ``cuda``/``accelerator``/``backends``/``distributed``/``amp``, ``device``,
thread counts, ``DataParallel``, the legacy tensor types, ``Variable`` and the deprecated ``nn.init`` names.

torch here is a CUDA build on a machine without a GPU; where its answer is the driver's ("Found no NVIDIA
driver") minitorch gives a CPU-only torch build's ("Torch not compiled with CUDA enabled"), and the test says so.
"""
import warnings

import numpy as np
import pytest
import torch
from threadpoolctl import threadpool_info

import minitorch

NOT_COMPILED = "Torch not compiled with CUDA enabled"


def test_cuda_queries_match_torch_without_a_gpu():
    for name in ("is_available", "device_count", "is_initialized", "memory_allocated", "max_memory_allocated"):
        assert getattr(minitorch.cuda, name)() == getattr(torch.cuda, name)(), name
    for name in ("manual_seed", "manual_seed_all"):
        assert getattr(minitorch.cuda, name)(0) is None
    assert minitorch.cuda.empty_cache() is None and minitorch.cuda.is_bf16_supported() is False


@pytest.mark.parametrize("name", ["synchronize", "current_device", "get_device_name"])
def test_cuda_calls_that_need_a_device_raise(name):
    with pytest.raises(RuntimeError):
        getattr(torch.cuda, name)()
    with pytest.raises(AssertionError, match=NOT_COMPILED):
        getattr(minitorch.cuda, name)()


def test_accelerator_backends_and_distributed():
    assert minitorch.accelerator.is_available() is torch.accelerator.is_available() is False
    assert minitorch.accelerator.device_count() == torch.accelerator.device_count() == 0
    assert minitorch.accelerator.current_accelerator() is None  # a CPU-only build's answer
    for flag in ("benchmark", "deterministic", "enabled"):
        assert getattr(minitorch.backends.cudnn, flag) == getattr(torch.backends.cudnn, flag), flag
    minitorch.backends.cudnn.benchmark = True  # settable, as in torch
    minitorch.backends.cudnn.benchmark = False
    assert minitorch.backends.mps.is_available() is torch.backends.mps.is_available() is False
    assert minitorch.backends.cuda.matmul.allow_tf32 == torch.backends.cuda.matmul.allow_tf32
    assert minitorch.distributed.is_initialized() is False
    with pytest.raises(RuntimeError, match="no distributed backend"):
        minitorch.distributed.init_process_group("gloo")


def test_device_objects_like_torch():
    for args in [("cpu",), ("cuda",), ("cuda:1",), ("cuda", 0), (0,), ("mps",)]:
        d, t = minitorch.device(*args), torch.device(*args)
        assert (str(d), repr(d).replace("minitorch", "torch"), d.type, d.index) == (str(t), repr(t), t.type, t.index)
    assert minitorch.device("cuda:0") == minitorch.device("cuda", 0) != minitorch.device("cpu")
    assert len({minitorch.device("cpu"), minitorch.device("cpu")}) == 1
    for bad in ("gpu", "cuda:x"):
        with pytest.raises(RuntimeError) as t_err:
            torch.device(bad)
        with pytest.raises(RuntimeError) as m_err:
            minitorch.device(bad)
        assert str(m_err.value) == str(t_err.value)


@pytest.mark.parametrize("place", [
    lambda L: L.zeros(2).to("cuda"), lambda L: L.zeros(2).to(device=L.device("cuda")), lambda L: L.zeros(2).cuda(),
    lambda L: L.zeros(2, device="cuda"), lambda L: L.randn(2, device="cuda"), lambda L: L.tensor([1.0], device="cuda"),
    lambda L: L.ones(2).new_zeros(3, device="cuda"), lambda L: L.nn.Linear(2, 2).to("cuda"),
    lambda L: L.nn.Linear(2, 2).cuda(),
])
def test_placing_on_cuda_raises(place):
    with pytest.raises(RuntimeError):
        place(torch)
    with pytest.raises(AssertionError, match=NOT_COMPILED):
        place(minitorch)


def test_the_usual_device_line_runs_on_the_cpu():
    dev = minitorch.device("cuda" if minitorch.cuda.is_available() else "cpu")
    x = minitorch.ones(2, device=dev).to(dev)
    assert x.device == minitorch.device("cpu") and str(x.device) == "cpu"
    assert (x.is_cuda, x.is_mps, x.is_xpu, x.is_pinned()) == (False, False, False, False)
    assert x.pin_memory() is x


def _blas_threads():
    """Threads of numpy's OpenBLAS (scipy may have loaded its own copy, which minitorch leaves alone)."""
    return [lib["num_threads"] for lib in threadpool_info()
            if lib["internal_api"] == "openblas" and "numpy" in lib["filepath"]]


def test_set_num_threads_sets_numpys_blas():
    before = minitorch.get_num_threads()
    try:
        minitorch.set_num_threads(1)
        assert minitorch.get_num_threads() == 1 and set(_blas_threads()) == {1}
        minitorch.set_num_threads(2)
        assert minitorch.get_num_threads() == 2 and 2 in _blas_threads()
    finally:
        minitorch.set_num_threads(before)
    for bad in (0, 1.5):
        with pytest.raises(RuntimeError) as t_err:
            torch.set_num_threads(bad)
        with pytest.raises(RuntimeError) as m_err:
            minitorch.set_num_threads(bad)
        assert str(m_err.value) == str(t_err.value)


def test_data_parallel_runs_the_module_and_keeps_torchs_state_dict_keys():
    tm = torch.nn.Linear(3, 2).double()
    mm = minitorch.nn.Linear(3, 2).double()
    tp, mp = torch.nn.DataParallel(tm), minitorch.nn.DataParallel(mm)
    assert list(mp.state_dict()) == list(tp.state_dict())
    mp.load_state_dict({k: minitorch.tensor(v.numpy()) for k, v in tp.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((4, 3))
    np.testing.assert_allclose(mp(minitorch.tensor(x)).detach().numpy(), tp(torch.tensor(x)).detach().numpy())
    assert mp.module is mm


def test_distributed_data_parallel_needs_a_process_group():
    with pytest.raises(ValueError) as t_err:
        torch.nn.parallel.DistributedDataParallel(torch.nn.Linear(2, 2))
    with pytest.raises(ValueError) as m_err:
        minitorch.nn.parallel.DistributedDataParallel(minitorch.nn.Linear(2, 2))
    assert str(m_err.value) == str(t_err.value)


def test_grad_scaler_and_autocast_for_cuda_disable_themselves_with_torchs_warning():
    with pytest.warns(UserWarning) as t_w:
        ts = torch.amp.GradScaler("cuda")
    with pytest.warns(UserWarning) as m_w:
        ms = minitorch.amp.GradScaler("cuda")
    assert str(m_w[0].message) == str(t_w[0].message)
    assert ms.is_enabled() is ts.is_enabled() is False and ms.state_dict() == ts.state_dict() == {}
    with pytest.warns(UserWarning, match="Disabling autocast"):
        with minitorch.autocast("cuda"):
            pass
    with pytest.warns(UserWarning):
        minitorch.cuda.amp.GradScaler()
    with minitorch.autocast("cpu", enabled=False):
        pass
    with pytest.raises(RuntimeError, match="bfloat16"):
        minitorch.autocast("cpu")


def test_cpu_grad_scaler_steps_like_torch():
    """Scale, unscale, skip the step on inf, back off and grow: the same parameters and scale as torch."""
    w0 = np.array([1.0, -2.0, 3.0])
    states = []
    for lib in (torch, minitorch):
        w = lib.tensor(w0.copy(), requires_grad=True)
        opt = lib.optim.SGD([w], lr=0.1)
        scaler = lib.amp.GradScaler("cpu", init_scale=4.0, growth_interval=2)
        for big in (False, True, False, False):
            opt.zero_grad()
            loss = (w * w).sum() * (float("inf") if big else 1.0)
            scaler.scale(loss).backward()
            scaler.step(opt)
            scaler.update()
        states.append((w.detach().numpy().copy(), scaler.get_scale(), scaler.state_dict()))
    np.testing.assert_allclose(states[1][0], states[0][0])
    assert states[1][1:] == states[0][1:]


LEGACY = ["FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor", "CharTensor",
          "ByteTensor", "BoolTensor"]


@pytest.mark.parametrize("name", LEGACY)
def test_legacy_tensor_types(name):
    T, M = getattr(torch, name), getattr(minitorch, name)
    assert M(2, 3).shape == T(2, 3).shape and M(2, 3).dtype.name == str(T(2, 3).dtype).split(".")[1]
    assert M().shape == T().shape
    data = [1, 0, 2] if name != "BoolTensor" else [True, False]
    np.testing.assert_array_equal(M(data).numpy(), T(data).numpy())
    x = M(data)
    assert isinstance(x, M) and x.type() == T(data).type() == f"torch.{name}"
    assert not isinstance(x, minitorch.FloatTensor if name != "FloatTensor" else minitorch.LongTensor)
    assert M(x)._data is not None and np.shares_memory(M(x).numpy(), x.numpy())
    with pytest.raises(RuntimeError):
        M(-1)


def test_type_converts_like_torch():
    for target in (torch.LongTensor, "torch.IntTensor", torch.float64):
        m_target = getattr(minitorch, target.__name__) if isinstance(target, type) else (
            target if isinstance(target, str) else minitorch.float64)
        assert str(minitorch.zeros(2).type(m_target).dtype).split(".")[1] == \
            str(torch.zeros(2).type(target).dtype).split(".")[1]
    with pytest.raises(TypeError):
        torch.FloatTensor(torch.zeros(2, dtype=torch.int64))
    with pytest.raises(TypeError):
        minitorch.FloatTensor(minitorch.zeros(2, dtype=minitorch.int64))
    with pytest.raises(ValueError, match="invalid type: 'foo'"):
        minitorch.zeros(2).type("foo")
    with pytest.raises(AssertionError, match=NOT_COMPILED):
        minitorch.cuda.FloatTensor(2)
    assert not isinstance(minitorch.zeros(2), minitorch.cuda.FloatTensor)


def test_variable_returns_a_tensor_like_torchs():
    for lib in (torch, minitorch):
        a = lib.ones(2)
        v = lib.autograd.Variable(a, requires_grad=True)
        assert v is not a and v.requires_grad and not a.requires_grad and isinstance(a, lib.autograd.Variable)
        assert np.shares_memory(v.detach().numpy(), a.numpy())
        b = lib.ones(2, requires_grad=True) * 2
        w = lib.autograd.Variable(b)
        assert w.grad_fn is None and not w.requires_grad
        (v * 3).sum().backward()
        assert v.grad.tolist() == [3.0, 3.0]
        with pytest.raises(TypeError, match="Variable data has to be a tensor, but got list"):
            lib.autograd.Variable([1, 2])


@pytest.mark.parametrize("old", ["uniform", "normal", "constant", "xavier_uniform", "xavier_normal", "kaiming_uniform",
                                 "kaiming_normal", "orthogonal", "sparse", "eye", "dirac"])
def test_deprecated_init_names_warn_as_torch(old):
    args = {"constant": (0.5,), "sparse": (0.5,)}.get(old, ())
    shape = (4, 2, 3) if old == "dirac" else (4, 3)
    messages = []
    for lib in (torch, minitorch):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            getattr(lib.nn.init, old)(lib.empty(*shape), *args)
        messages.append([str(x.message) for x in w if x.category is FutureWarning])
    assert messages[1] == messages[0] and len(messages[0]) == 1


def test_dirac_and_sparse_init():
    for groups in (1, 2):
        t, m = torch.empty(4, 2, 3, 3), minitorch.empty(4, 2, 3, 3)
        torch.nn.init.dirac_(t, groups)
        minitorch.nn.init.dirac_(m, groups)
        np.testing.assert_array_equal(m.numpy(), t.numpy())
    s = minitorch.nn.init.sparse_(minitorch.empty(10, 4), sparsity=0.3)
    assert ((s.numpy() == 0).sum(axis=0) == 3).all()
    with pytest.raises(ValueError, match="Only tensors with 2 dimensions are supported"):
        minitorch.nn.init.sparse_(minitorch.empty(2, 2, 2), 0.1)
