"""What a dense, float, compiler-free framework answers to torch's sparse, quantization and compile names."""
import numpy as np
import pytest
import torch

import minitorch


def test_compile_wraps_a_module_as_torch_does():
    tm = torch.nn.Linear(3, 2).double()
    mm = minitorch.nn.Linear(3, 2).double()
    tc, mc = torch.compile(tm), minitorch.compile(mm)
    assert type(mc).__name__ == type(tc).__name__ == "OptimizedModule"
    assert list(mc.state_dict()) == list(tc.state_dict()) == ["_orig_mod.weight", "_orig_mod.bias"]
    mc.load_state_dict({k: minitorch.tensor(v.detach().numpy()) for k, v in tc.state_dict().items()})
    assert mc.weight is mm.weight and mc.in_features == 3 and mc._orig_mod is mm
    x = np.random.default_rng(0).standard_normal((4, 3))
    np.testing.assert_allclose(mc(minitorch.tensor(x)).detach().numpy(), tm(torch.tensor(x)).detach().numpy())
    assert repr(mc) == repr(tc).replace("torch.", "")


def test_compile_of_a_function_and_as_a_decorator_computes_the_same():
    def f(x):
        return (x * 2).sin().sum()

    @minitorch.compile(mode="reduce-overhead")
    def g(x):
        return (x * 2).sin().sum()

    x = minitorch.tensor([0.5, 1.0], requires_grad=True)
    assert minitorch.compile(f) is f and minitorch.compile(f, disable=True) is f
    g(x).backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * np.cos(2 * np.array([0.5, 1.0])), rtol=1e-6)


@pytest.mark.parametrize("call", [lambda lib: lib.compile(3),
                                  lambda lib: lib.compile(lambda x: x, mode="default", options={})])
def test_compile_errors_as_torch(call):
    with pytest.raises(Exception) as t_err:
        call(torch)
    with pytest.raises(type(t_err.value)) as m_err:
        call(minitorch)
    assert str(m_err.value) == str(t_err.value)


def test_a_dense_tensor_answers_layout_questions_as_torch():
    for lib in (torch, minitorch):
        x = lib.ones(2, 3)
        assert not x.is_sparse and not x.is_sparse_csr and not x.is_quantized
        assert repr(x.layout) == f"{lib.__name__}.strided" and x.layout is lib.strided
        assert x.to_dense() is x and x.to_dense(lib.float64).dtype == lib.float64


@pytest.mark.parametrize("make", [
    lambda: minitorch.sparse_coo_tensor([[0, 1], [1, 0]], [1.0, 2.0], (2, 2)),
    lambda: minitorch.sparse_csr_tensor([0, 1, 2], [1, 0], [1.0, 2.0]),
    lambda: minitorch.ones(2, 2).to_sparse(),
    lambda: minitorch.ones(2, 2).to_sparse_csr(),
])
def test_sparse_layouts_raise_one_clear_error(make):
    with pytest.raises(RuntimeError, match="minitorch has no sparse tensors"):
        make()


def test_quantization_raises_one_clear_error():
    with pytest.raises(RuntimeError, match="no quantized tensors"):
        minitorch.quantize_per_tensor(minitorch.ones(2), 0.1, 0, None)
    with pytest.raises(RuntimeError, match="no quantized tensors"):
        minitorch.quantization.quantize_dynamic(minitorch.nn.Linear(2, 2))
    with pytest.raises(AttributeError, match="no quantized tensors"):
        minitorch.ao.quantization.QuantStub
    assert not hasattr(minitorch.quantization, "prepare")
