"""Neural-network building blocks (floor 3): ``Module``, layers, losses, ``functional``, ``init``."""
from minitorch.nn.parameter import Buffer, Parameter
from minitorch.nn.modules import *  # noqa: F401,F403
from minitorch.nn.modules import Module
from minitorch.nn import functional
from minitorch.nn import init, parallel, utils
from minitorch.nn.parallel import DataParallel
