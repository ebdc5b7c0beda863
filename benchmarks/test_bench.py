"""pytest-benchmark suite: every workload and op in both frameworks (``make bench`` runs it).

Group by workload to read the two frameworks side by side: ``--benchmark-group-by=param:name``.
"""
import pytest

from benchmarks import ops as op_suite
from benchmarks.workloads import WORKLOADS, build

FRAMEWORKS = ["minitorch", "torch"]


def _lib(framework):
    import importlib

    return importlib.import_module(framework)


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("name", list(WORKLOADS))
def test_model_step(benchmark, name, framework):
    benchmark.group = name
    benchmark(build(name, _lib(framework)))


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("name", list(op_suite.OPS))
def test_op(benchmark, name, framework):
    benchmark.group = name
    benchmark(op_suite.OPS[name][0](_lib(framework)))
