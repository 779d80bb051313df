"""The debiased exponential moving average, the one smoother of the app.

An EMA started at 0 is pulled towards 0 for its first values; dividing by the weight the
values so far carry, 1 − βⁿ after n of them, removes that bias (Adam's bias correction,
fastai's AvgSmoothLoss, TensorBoard's smoothing slider). The LR range test smooths its loss
with it, the noise-scale tracker its two estimates, and the Compare page the curves it draws.
"""

from __future__ import annotations

import math


class DebiasedEMA:
    """EMA_n = β·EMA_{n−1} + (1 − β)·x_n, reported as EMA_n / (1 − βⁿ); β = 0 returns each value."""

    def __init__(self, beta: float) -> None:
        self.beta = beta
        self.count = 0
        self._raw = 0.0  # the EMA as accumulated, biased towards its zero start

    def add(self, value: float) -> float:
        """Fold in one value; returns the debiased average so far."""
        self.count += 1
        self._raw = self.beta * self._raw + (1 - self.beta) * value
        return self.value

    @property
    def value(self) -> float:
        """The debiased average (NaN before the first value)."""
        return self._raw / (1 - self.beta ** self.count) if self.count else math.nan

    @property
    def raw(self) -> float:
        """The EMA before debiasing: its sign is the average's, and it is 0 only when every value was 0."""
        return self._raw
