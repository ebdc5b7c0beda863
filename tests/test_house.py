"""The house rules of minitorch/: short files, imports that run downward, no module writing into another."""
import ast
import importlib
import pathlib

import pytest

import minitorch

ROOT = pathlib.Path(minitorch.__file__).parent
FILES = sorted(ROOT.rglob("*.py"))

# The floor of each part of the package; a module may import only from its own floor or the ones below.
FLOORS = {"_tensor": 0, "_dtype": 0, "_convert": 0, "_tensor_str": 0, "_allocator": 0, "autograd": 1, "random": 1,
          "ops": 2, "creation": 2, "special": 2, "nn": 3, "serialization": 3, "linalg": 3, "optim": 4, "utils": 4,
          "onnx": 4, "_threads": 0, "_legacy": 2, "accelerator": 0, "backends": 0, "distributed": 0, "amp": 0, "cuda": 0,
          "sparse": 1, "quantization": 0, "ao": 0, "_compile": 4, "testing": 4,
          "signal": 2, "fft": 2, "masked": 3}


def _part(module: str) -> str:
    return module.split(".")[1] if module.count(".") else "__init__"


def _imports(path: pathlib.Path) -> list:
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("minitorch"):
            found.append((node.lineno, node.module if node.module != "minitorch" else "minitorch." + node.names[0].name))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("minitorch.")]
    return found


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_file_over_700_lines(path):
    n = len(path.read_text().splitlines())
    assert n <= 700, f"{path.relative_to(ROOT)} has {n} lines"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_writes_into_another(path):
    assert "sys.modules" not in path.read_text(), f"{path.relative_to(ROOT)} touches sys.modules"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_run_downward(path):
    rel = path.relative_to(ROOT)
    part = rel.parts[0].removesuffix(".py")
    if part == "__init__":
        return  # the package root assembles every floor
    floor = FLOORS[part]
    upward = [f"line {ln}: {mod}" for ln, mod in _imports(path)
              if _part(mod) in FLOORS and FLOORS[_part(mod)] > floor]
    assert not upward, f"{rel} (floor {floor}) imports from above: {upward}"


def test_tensor_is_only_the_creation_function():
    assert callable(minitorch.tensor) and not hasattr(minitorch.tensor, "__path__")
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("minitorch.tensor")


def test_every_method_has_one_home():
    class Twice:
        def numel(self):
            return 0

    with pytest.raises(TypeError, match=r"Tensor.numel is defined twice"):
        minitorch.Tensor._add_methods(Twice)


def test_operator_lives_beside_its_op():
    from minitorch.ops import arithmetic, reduction, shape
    assert minitorch.Tensor.__mul__ is arithmetic.ArithmeticMethods.__mul__
    assert minitorch.Tensor.sum is reduction.ReductionMethods.sum
    assert minitorch.Tensor.view is shape.ShapeMethods.view


def test_no_submodule_hidden_by_a_name_of_its_package():
    hidden = []
    for path in FILES:
        if path.name == "__init__.py":
            continue
        parent = ".".join(("minitorch",) + path.relative_to(ROOT).parent.parts)
        package = importlib.import_module(parent)
        name = path.stem
        module = importlib.import_module(f"{parent}.{name}")
        if hasattr(package, name) and getattr(package, name) is not module:
            hidden.append(f"{parent}.{name}")
    assert not hidden, f"attributes hide these submodules: {hidden}"
