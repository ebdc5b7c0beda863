"""The PyTorch twins of the examples' models: the same code built on torch, plus torch-only extras."""
