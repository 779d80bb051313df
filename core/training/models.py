"""The models the app trains, built by name for a dataset's input shape and outputs."""

from __future__ import annotations

import math

from torch import nn

# linear: logistic regression (or least squares); mlp: 2 hidden layers of 100; cnn: seed 000's
# Conv → ReLU → Pool × 2 + Dense; cnn1d: the MNIST-1D paper's 3 strided Conv1d → ReLU + Dense.
# Their display names, in English and Korean, are the app's (pages/ui/texts/common.py).
MODELS = ("linear", "mlp", "cnn", "cnn1d")


def build_model(name: str, input_shape: tuple[int, ...], outputs: int) -> nn.Module:
    """A freshly initialised model; seed torch before calling it for reproducible weights."""
    features = math.prod(input_shape)
    if name == "linear":
        return nn.Sequential(nn.Flatten(), nn.Linear(features, outputs))
    if name == "mlp":
        return nn.Sequential(
            nn.Flatten(),
            nn.Linear(features, 100), nn.ReLU(),
            nn.Linear(100, 100), nn.ReLU(),
            nn.Linear(100, outputs),
        )
    if name == "cnn":  # seed 000: Conv → ReLU → Pool, twice, then a dense layer
        channels, height, width = input_shape
        return nn.Sequential(
            nn.Conv2d(channels, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(32 * (height // 4) * (width // 4), outputs),
        )
    if name == "cnn1d":  # the MNIST-1D paper's CNN: three strided convolutions, then a dense layer
        (length,) = input_shape
        out_length = _strided(_strided(_strided(length, 5), 3), 3)
        return nn.Sequential(
            nn.Unflatten(1, (1, length)),  # (B, L) -> (B, 1, L)
            nn.Conv1d(1, 25, 5, stride=2, padding=1), nn.ReLU(),
            nn.Conv1d(25, 25, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv1d(25, 25, 3, stride=2, padding=1), nn.ReLU(),
            nn.Flatten(),
            nn.Linear(25 * out_length, outputs),
        )
    raise ValueError(f"Unknown model {name!r}; choose one of {', '.join(map(repr, MODELS))}.")


def _strided(length: int, kernel: int) -> int:
    """Output length of a convolution with stride 2 and padding 1."""
    return (length + 2 - kernel) // 2 + 1

