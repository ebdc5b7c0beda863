"""examples/tensor_basics.py: every step agrees between the frameworks in value, shape and dtype."""
import numpy as np


def test_tensor_basics_agree_in_value_shape_and_dtype():
    from examples import tensor_basics as tb

    rows = tb.run(("minitorch", "torch"))
    assert [r["name"] for r in rows if not r["agree"]] == []
    assert not tb.same([np.zeros(2, np.float32)], [np.zeros(2, np.float64)])  # a dtype difference is caught
    assert not tb.same([(2, 3)], [(3, 2)])
