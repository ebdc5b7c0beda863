"""The layers, one file per family as in ``torch/nn/modules``."""
from minitorch.nn.modules.module import Module
from minitorch.nn.modules.activation import (
    ELU, GELU, Hardtanh, LeakyReLU, LogSoftmax, ReLU, ReLU6, Sigmoid, SiLU, Softmax, Softplus, Tanh,
)
from minitorch.nn.modules.activation import MultiheadAttention
from minitorch.nn.modules.container import ModuleDict, ModuleList, Sequential
from minitorch.nn.modules.dropout import Dropout, Dropout1d, Dropout2d
from minitorch.nn.modules.flatten import Flatten, Unflatten
from minitorch.nn.modules.linear import Identity, Linear
from minitorch.nn.modules.loss import (
    BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, KLDivLoss, L1Loss, MSELoss, NLLLoss, SmoothL1Loss,
)
from minitorch.nn.modules.sparse import Embedding
from minitorch.nn.modules.batchnorm import BatchNorm1d, BatchNorm2d, BatchNorm3d
from minitorch.nn.modules.normalization import GroupNorm, LayerNorm
from minitorch.nn.modules.rnn import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNBase, RNNCell, RNNCellBase
from minitorch.nn.modules.conv import Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
from minitorch.nn.modules.pooling import (
    AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveAvgPool3d, AdaptiveMaxPool1d, AdaptiveMaxPool2d, AdaptiveMaxPool3d,
    AvgPool1d, AvgPool2d, AvgPool3d, FractionalMaxPool2d, FractionalMaxPool3d, LPPool1d, LPPool2d, LPPool3d, MaxPool1d,
    MaxPool2d, MaxPool3d, MaxUnpool1d, MaxUnpool2d, MaxUnpool3d,
)
from minitorch.nn.modules.fold import Fold, Unfold
from minitorch.nn.modules.pixelshuffle import ChannelShuffle, PixelShuffle, PixelUnshuffle
from minitorch.nn.modules.upsampling import Upsample, UpsamplingBilinear2d, UpsamplingNearest2d
