"""Testing tools (torch.testing's names where torch has them): ``assert_close``; gradient checks that explain
their failures; ``compare_with_torch``, a node-by-node diff of one computation in minitorch and in torch;
and ``parity``, a one-line pytest check of a custom op against its torch twin (also a fixture of the pytest
plugin ``minitorch.testing.pytest_plugin``).

minitorch itself never imports torch: only ``compare_with_torch`` and ``parity`` do, when called.
"""
from minitorch.testing._comparison import assert_close, default_tolerances
from minitorch.testing._compare import ComparisonReport, NodeDiff, compare_with_torch
from minitorch.autograd._gradcheck import GradcheckError, GradcheckReport, gradcheck, gradcheck_report, gradgradcheck
from minitorch.testing._parity import parity

__all__ = [
    "ComparisonReport", "GradcheckError", "GradcheckReport", "NodeDiff", "assert_close", "compare_with_torch",
    "default_tolerances", "gradcheck", "gradcheck_report", "gradgradcheck", "parity",
]
