"""pytest-benchmark settings: one thread for both frameworks (the headline numbers)."""
import pytest


@pytest.fixture(autouse=True, scope="session")
def one_thread():
    from benchmarks.timing import threads

    with threads(1):
        yield
