"""Benchmarks: minitorch against PyTorch on the same steps, measured side by side."""
