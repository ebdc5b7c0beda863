"""Runnable examples: the models and walk-throughs of the source tutorials, in minitorch beside PyTorch."""
