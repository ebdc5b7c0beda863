"""Neural-network building blocks (floor 3)."""
from minitorch.nn import functional
