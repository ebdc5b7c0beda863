"""The layers, one file per family as in ``torch/nn/modules``."""
from minitorch.nn.modules.module import Module
