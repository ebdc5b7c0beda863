"""Optimisers and learning-rate schedulers (floor 4), trajectory-exact with ``torch.optim``."""
from minitorch.optim.optimizer import Optimizer
from minitorch.optim.sgd import SGD
from minitorch.optim.adam import Adam
from minitorch.optim.adamw import AdamW
from minitorch.optim.rmsprop import RMSprop
from minitorch.optim.adagrad import Adagrad
from minitorch.optim.adadelta import Adadelta
from minitorch.optim.adamax import Adamax
from minitorch.optim.nadam import NAdam
from minitorch.optim.radam import RAdam
from minitorch.optim.asgd import ASGD
from minitorch.optim.rprop import Rprop
from minitorch.optim.sparse_adam import SparseAdam
from minitorch.optim.lbfgs import LBFGS
from minitorch.optim.adafactor import Adafactor
from minitorch.optim import lr_scheduler

__all__ = ["ASGD", "Adadelta", "Adafactor", "Adagrad", "Adam", "AdamW", "Adamax", "LBFGS", "NAdam", "Optimizer", "RAdam",
           "RMSprop", "Rprop", "SGD", "SparseAdam", "lr_scheduler"]
