"""The differentiable primitives (floor 2): one ``Op`` per operation, forward and backward side by side.

One file per family, along torch's own sections; each file ends with the class of the Tensor methods
of its ops (``ArithmeticMethods.__mul__`` beside ``Mul``), which ``minitorch/__init__.py`` joins to Tensor.
"""
from minitorch.ops._util import SumTo, unbroadcast
from minitorch.ops.activation import (
    Elu, Gelu, GeluGrad, Hardtanh, LeakyRelu, LogSoftmax, Relu, Sigmoid, Silu, SiluGrad, Softmax, Softplus,
    SoftplusGrad, Tanh,
)
from minitorch.ops.arithmetic import (
    Add, AddScalar, Div, FloorDivide, Mul, MulScalar, Neg, Pow, Reciprocal, Remainder, Sub,
)
from minitorch.ops.comparison import Maximum, Minimum
from minitorch.ops.copy import Clone, ToDtype
from minitorch.ops.indexing import Gather, Index, IndexGrad, IndexPut, MaskedFill, ScatterAdd, Where
from minitorch.ops.linalg import MatMul
from minitorch.ops.pointwise import Abs, Clamp, ClampTensor, Cos, Exp, Log, Log1p, Rsqrt, Sign, Sin, Sqrt, clamp_tensors
from minitorch.ops.reduction import (
    Amax, Amin, Cumsum, Logsumexp, Max, MaxAll, Mean, Min, MinAll, MinMaxResult, Norm, Prod, Std, Sum, Var,
)
from minitorch.ops.shape import Cat, Expand, Flip, Permute, Repeat, Split, Squeeze, Stack, T, Transpose, Unsqueeze, View
