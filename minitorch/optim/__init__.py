"""Optimisers and learning-rate schedulers (floor 4), trajectory-exact with ``torch.optim``."""
from minitorch.optim.optimizer import Optimizer
from minitorch.optim.sgd import SGD
from minitorch.optim.adam import Adam
from minitorch.optim.adamw import AdamW
from minitorch.optim.rmsprop import RMSprop
from minitorch.optim.adagrad import Adagrad
from minitorch.optim import lr_scheduler

__all__ = ["Adagrad", "Adam", "AdamW", "Optimizer", "RMSprop", "SGD", "lr_scheduler"]
