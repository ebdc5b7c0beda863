"""Learning-rate schedulers (``torch.optim.lr_scheduler``): they rewrite ``group['lr']`` of an optimiser."""
from minitorch.optim.lr_scheduler._base import EPOCH_DEPRECATION_WARNING, LRScheduler
from minitorch.optim.lr_scheduler._basic import (
    ConstantLR, CosineAnnealingLR, ExponentialLR, LambdaLR, LinearLR, MultiplicativeLR, MultiStepLR, PolynomialLR,
    StepLR,
)
from minitorch.optim.lr_scheduler._cyclic import CosineAnnealingWarmRestarts, CyclicLR, OneCycleLR
from minitorch.optim.lr_scheduler._plateau import ReduceLROnPlateau
from minitorch.optim.lr_scheduler._compose import ChainedScheduler, SequentialLR

__all__ = ["ChainedScheduler", "ConstantLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts", "CyclicLR",
           "EPOCH_DEPRECATION_WARNING", "ExponentialLR", "LRScheduler", "LambdaLR", "LinearLR", "MultiStepLR",
           "MultiplicativeLR", "OneCycleLR", "PolynomialLR", "ReduceLROnPlateau", "SequentialLR", "StepLR"]
