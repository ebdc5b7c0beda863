"""op_db's error inputs of an entry run through minitorch (the function ``tests.opinfo.resolve`` finds): the same
exception type, and a message matching torch's regex."""
from __future__ import annotations

import re

import pytest

from tests import opinfo


def entry(eid: str):
    """The op_db entry with id ``eid`` (``name`` or ``name.variant``)."""
    return next(op for op in opinfo.ENTRIES if opinfo.entry_id(op) == eid)


def run_error_inputs(eid: str, skip: tuple = ()) -> int:
    """Every error input of op_db entry ``eid`` (but those whose kwargs name one of ``skip``); how many ran."""
    op = entry(eid)
    fn = opinfo.resolve(op)
    n = 0
    for ei in op.error_inputs("cpu"):
        s = ei.sample_input
        if "out" in s.kwargs or any(k in s.kwargs for k in skip):
            continue
        try:
            c = opinfo.convert_sample(s)
        except opinfo.Unsupported:
            continue
        with pytest.raises(ei.error_type) as info:
            fn(c.mt[0], *c.mt[1], **c.mt[2])
        assert re.search(ei.error_regex, str(info.value)), (str(info.value), ei.error_regex)
        n += 1
    return n
