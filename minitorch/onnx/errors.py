"""The errors of the ONNX exporter, as ``torch.onnx.errors``."""
from __future__ import annotations

__all__ = ["OnnxExporterError", "OnnxExporterWarning", "UnsupportedOperatorError"]


class OnnxExporterWarning(UserWarning):
    """Warnings in the ONNX exporter."""


class OnnxExporterError(RuntimeError):
    """Errors raised by the ONNX exporter. This is the base class for all exporter errors."""


class UnsupportedOperatorError(OnnxExporterError):
    """Raised when an operator of the traced model has no ONNX mapping."""

    def __init__(self, name: str, version: int, detail: str = "") -> None:
        msg = f"Exporting the operator '{name}' to ONNX opset version {version} is not supported"
        super().__init__(msg + (f": {detail}" if detail else ""))
