"""pytest-benchmark: one epoch of a DataLoader whose samples cost real work, in the main process and in 2 workers.

Each sample is a 128x128 image put through an FFT low-pass filter, a random crop and a flip (about 2 ms of
numpy). With 2 workers (persistent, so the processes start once) the epoch should take about half as long
on a machine with 2 free cores. Not part of ``make test`` (pytest's testpaths is ``tests``) nor ``make bench``;
run ``.venv/bin/python -m pytest benchmarks/test_bench_dataloader.py --benchmark-only``.
"""
import numpy as np
import pytest

from minitorch.utils.data import DataLoader, Dataset

SIZE, CROP = 128, 112


class FilteredImages(Dataset):
    """``n`` random images; sample i is the i-th image low-pass filtered in Fourier space, randomly cropped
    to ``CROP`` and flipped (numpy's global generator, seeded per worker by the DataLoader), and its label."""

    def __init__(self, n: int = 64) -> None:
        rng = np.random.default_rng(0)
        self.images = rng.normal(size=(n, SIZE, SIZE)).astype(np.float32)
        freq = np.fft.fftfreq(SIZE)
        self.low_pass = np.exp(-(freq[:, None] ** 2 + freq[None, :] ** 2) / (2 * 0.05 ** 2))

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, i: int):
        smooth = np.fft.ifft2(np.fft.fft2(self.images[i]) * self.low_pass).real
        for _ in range(3):  # three passes of the filter: ~2 ms a sample
            smooth = np.fft.ifft2(np.fft.fft2(smooth) * self.low_pass).real
        top, left = np.random.randint(0, SIZE - CROP + 1, size=2)
        crop = smooth[top:top + CROP, left:left + CROP]
        if np.random.rand() < 0.5:
            crop = crop[:, ::-1]
        return crop.astype(np.float32)[None], i % 10


@pytest.mark.parametrize("num_workers", [0, 2])
def test_epoch(benchmark, num_workers):
    benchmark.group = "dataloader epoch (64 samples, batch 8)"
    loader = DataLoader(FilteredImages(), batch_size=8, shuffle=True, num_workers=num_workers,
                        persistent_workers=num_workers > 0)

    def epoch():
        for _ in loader:
            pass
    benchmark.pedantic(epoch, rounds=10, warmup_rounds=1)
