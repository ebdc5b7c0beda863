"""``minitorch.fft``: the transforms of torch.fft whose output is real (minitorch has no complex dtypes).

``irfft``/``irfft2``/``irfftn`` take a real tensor as the non-negative half of a Hermitian spectrum (its
imaginary part 0) and return the real signal; ``hfft``/``hfft2``/``hfftn`` are their forward-normalized
duals; ``fftshift``/``ifftshift`` move the zero frequency to the centre and back. The transforms that return
complex tensors (fft, rfft, ihfft...) have no minitorch form."""
from minitorch.fft._real import fftshift, hfft, hfft2, hfftn, ifftshift, irfft, irfft2, irfftn

__all__ = ["fftshift", "hfft", "hfft2", "hfftn", "ifftshift", "irfft", "irfft2", "irfftn"]
