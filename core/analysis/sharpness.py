"""Sharpness: the top eigenvalue of the Hessian of the training loss.

Gradient descent with learning rate η on a quadratic diverges along any direction whose
curvature exceeds 2/η, so comparing the sharpness with 2/η shows how close a run is to the
"edge of stability" (Cohen et al., 2021). The eigenvalue is found by power iteration with
Hessian-vector products (Pearlmutter's trick: differentiate the gradient once more along v),
so the Hessian itself is never built.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from core.messages import Message, MessageError
from core.training.data import DataSplits
from core.training.engine import loss_function

LossFn = Callable[[Tensor, Tensor], Tensor]
Vector = Sequence[Tensor]  # one tensor per parameter: a vector in parameter space
# The sharpness of a trained run is measured on at most the first this-many training samples (the
# split shuffles them, so a fixed random subset): all of linear's, digits' and MNIST-1D's training
# sets, one chunk of the Hessian-vector product, and a cap on CIFAR-10's 40,000, whose 50 products
# would otherwise take minutes on a 2-core CPU. Not lower: a subset's top eigenvalue is biased
# upwards (a flat MNIST-1D minimum measured 10.4 on 2,048 samples, 8.3 on all 3,200).
SHARPNESS_SAMPLES = 4096


class SharpnessError(MessageError, ValueError):
    """The sharpness cannot be measured for these inputs (no samples, no trainable parameters)."""


@dataclass
class SharpnessResult:
    eigenvalue: float  # the largest-magnitude eigenvalue of the Hessian
    iterations: int  # Hessian-vector products used
    converged: bool  # whether the relative change fell below the tolerance


def edge_of_stability(lr: float, momentum: float = 0.0) -> float:
    """The sharpness above which gradient descent with this learning rate diverges.

    On a quadratic, one GD step multiplies the error along an eigenvector of curvature λ by
    (1 − ηλ); that factor exceeds 1 in magnitude exactly when λ > 2/η. With heavy-ball momentum β
    the bound is (2 + 2β)/η (Cohen et al., 2021, Appendix).
    """
    return (2 + 2 * momentum) / lr


def final_sharpness(model: nn.Module, data: DataSplits) -> SharpnessResult:
    """The sharpness of a trained model, as the app measures it: the top eigenvalue of the training
    loss's Hessian on the first SHARPNESS_SAMPLES training samples (50 power iterations at most),
    with the products it took and whether the power iteration converged within them."""
    x, y = data.x_train[:SHARPNESS_SAMPLES], data.y_train[:SHARPNESS_SAMPLES]
    return sharpness(model, loss_function(data.spec.task), x, y, iters=50, tol=1e-3)


def hessian_top_eigenvalue(model: nn.Module, loss_fn: LossFn, x: Tensor, y: Tensor, *, iters: int = 100,
                           tol: float = 1e-3, seed: int = 0, chunk: int = 4096) -> float:
    """The largest-magnitude eigenvalue of the Hessian of the mean loss over (x, y)."""
    return sharpness(model, loss_fn, x, y, iters=iters, tol=tol, seed=seed, chunk=chunk).eigenvalue


def sharpness(model: nn.Module, loss_fn: LossFn, x: Tensor, y: Tensor, *, iters: int = 100,
              tol: float = 1e-3, seed: int = 0, chunk: int = 4096) -> SharpnessResult:
    """Power iteration on the Hessian at the current weights, with its iteration count.

    loss_fn(out, y) must return the mean loss (e.g. F.mse_loss, F.cross_entropy). The model
    is evaluated in eval mode (no dropout noise in the curvature); its modes, weights and
    .grad are left as they were. Stops after `iters` products or when λ changes by less than
    `tol` relative to itself.
    """
    if len(x) == 0:
        raise SharpnessError(Message("sharpness.no_samples", "The sharpness needs at least one sample."))
    params = [p for p in model.parameters() if p.requires_grad]
    if not params:
        raise SharpnessError(Message("sharpness.no_parameters",
                                     "The model has no parameters that require grad, so its loss has no Hessian."))
    with _eval_mode(model), torch.enable_grad():
        v = _random_unit_vector(params, seed)
        eigenvalue = math.nan
        for i in range(1, iters + 1):
            hv = _hessian_vector_product(model, loss_fn, x, y, params, v, chunk)
            new, norm = torch.stack([_dot(v, hv), _dot(hv, hv).sqrt()]).tolist()  # one host sync
            if norm == 0.0:  # v lies in the null space (or the Hessian is zero): nothing to follow
                return SharpnessResult(new, i, True)
            v = [h / norm for h in hv]
            if abs(new - eigenvalue) < tol * abs(new):
                return SharpnessResult(new, i, True)
            eigenvalue = new
    return SharpnessResult(eigenvalue, iters, False)


def _hessian_vector_product(model: nn.Module, loss_fn: LossFn, x: Tensor, y: Tensor, params: Vector,
                            v: Vector, chunk: int) -> Vector:
    """H·v for the mean loss over all of (x, y), chunk by chunk to bound memory.

    Each chunk's loss is a mean over the chunk; weighting it by the chunk's share of N makes
    the chunks add up to the mean over all N samples.
    """
    n = len(x)
    total = [torch.zeros_like(p) for p in params]
    for start in range(0, n, chunk):
        xb, yb = x[start:start + chunk], y[start:start + chunk]
        loss = loss_fn(model(xb), yb) * (len(xb) / n)
        grads = torch.autograd.grad(loss, params, create_graph=True, allow_unused=True, materialize_grads=True)
        # A gradient that is constant in the weights (no graph) has zero curvature: skip it.
        pairs = [(g, u) for g, u in zip(grads, v, strict=True) if g.requires_grad]
        if not pairs:
            continue
        hv = torch.autograd.grad([g for g, _ in pairs], params, grad_outputs=[u for _, u in pairs],
                                 allow_unused=True, materialize_grads=True)
        for t, h in zip(total, hv, strict=True):
            t.add_(h.detach())
    return total


def _random_unit_vector(params: Vector, seed: int) -> Vector:
    """A Gaussian direction of unit length, reproducible from the seed on any device."""
    g = torch.Generator().manual_seed(seed)
    v = [torch.randn(p.shape, generator=g, dtype=p.dtype).to(p.device) for p in params]
    norm = _dot(v, v).sqrt()
    return [t / norm for t in v]


def _dot(a: Vector, b: Vector) -> Tensor:
    total = torch.zeros((), dtype=a[0].dtype, device=a[0].device)
    for s, t in zip(a, b, strict=True):  # in order, left to right: the same sum on every run
        total = total + (s * t).sum()
    return total


@contextlib.contextmanager
def _eval_mode(model: nn.Module) -> Iterator[None]:
    """Eval mode for the duration, then every submodule's own mode back (not just the root's)."""
    modes = [(m, m.training) for m in model.modules()]
    model.eval()
    try:
        yield
    finally:
        for m, training in modes:
            m.training = training
