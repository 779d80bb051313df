import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from core.analysis.sharpness import (
    SHARPNESS_SAMPLES,
    SharpnessError,
    SharpnessResult,
    edge_of_stability,
    final_sharpness,
    hessian_top_eigenvalue,
    sharpness,
)
from core.training.data import load_splits
from core.training.models import build_model
from pages.ui.texts import CORE


def with_bias_column(x: torch.Tensor) -> torch.Tensor:
    return torch.cat([x, torch.ones(len(x), 1)], dim=1).double()


def mse_hessian_top_eigenvalue(x: torch.Tensor) -> float:
    """For mean((Xw + b − y)²) the Hessian is 2·X̃ᵀX̃/N, whatever the weights and targets."""
    xt = with_bias_column(x)
    return 2 * torch.linalg.eigvalsh(xt.T @ xt / len(xt))[-1].item()


def regression_data(n: int = 500, d: int = 3, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    # Unequal feature scales and an offset: a clear spectral gap, as in most real data.
    x = torch.randn(n, d, generator=g) * torch.linspace(2.0, 0.5, d) + 1.0
    y = x @ torch.randn(d, 1, generator=g) + 0.3 * torch.randn(n, 1, generator=g)
    return x, y


class Quadratic(nn.Module):
    """A 'model' whose output is ½ wᵀAw whatever the input, so the loss's Hessian is exactly A."""

    a: torch.Tensor  # a buffer

    def __init__(self, a: torch.Tensor) -> None:
        super().__init__()
        self.register_buffer("a", a)
        self.w = nn.Parameter(torch.linspace(-1.0, 1.0, len(a)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return 0.5 * self.w @ self.a @ self.w


def matrix_with_eigenvalues(eigenvalues: list[float], seed: int = 0) -> torch.Tensor:
    q, _ = torch.linalg.qr(torch.randn(len(eigenvalues), len(eigenvalues),
                                       generator=torch.Generator().manual_seed(seed)))
    return q @ torch.diag(torch.tensor(eigenvalues)) @ q.T


def quadratic_loss(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return out


def test_the_top_eigenvalue_of_a_linear_regression_loss_is_twice_the_top_eigenvalue_of_xtx_over_n():
    torch.manual_seed(0)
    x, y = regression_data()
    model = nn.Linear(3, 1)
    expected = mse_hessian_top_eigenvalue(x)
    assert hessian_top_eigenvalue(model, F.mse_loss, x, y) == pytest.approx(expected, rel=0.01)


def test_final_sharpness_gives_the_eigenvalue_with_its_iterations_and_whether_it_converged():
    data = load_splits("linear", 0.0)
    torch.manual_seed(0)
    model = build_model("linear", (1,), 1)
    result = final_sharpness(model, data)
    assert isinstance(result, SharpnessResult)
    assert result.converged is True and 1 <= result.iterations <= 50
    assert result.eigenvalue == pytest.approx(mse_hessian_top_eigenvalue(data.x_train[:SHARPNESS_SAMPLES]), rel=0.01)


def test_on_seed_001s_data_the_sharpness_of_the_linear_model_is_twice_the_top_eigenvalue_of_xtx_over_n():
    data = load_splits("linear", 0.0)
    torch.manual_seed(0)
    model = build_model("linear", (1,), 1)
    expected = mse_hessian_top_eigenvalue(data.x_train)
    assert expected == pytest.approx(2.535, abs=0.01)  # 2·λmax([[1/3, 1/2], [1/2, 1]]) for x uniform in [0, 1]
    result = sharpness(model, F.mse_loss, data.x_train, data.y_train)
    assert result.converged
    assert result.eigenvalue == pytest.approx(expected, rel=0.01)


def test_a_quadratic_loss_gives_the_top_eigenvalue_of_its_matrix():
    model = Quadratic(matrix_with_eigenvalues([5.0, 2.0, 1.0, -0.5, 0.1]))
    x = torch.zeros(10, 1)
    assert hessian_top_eigenvalue(model, quadratic_loss, x, x) == pytest.approx(5.0, rel=0.01)


def test_the_eigenvalue_of_largest_magnitude_wins_even_when_it_is_negative():
    model = Quadratic(matrix_with_eigenvalues([-4.0, 1.0, 0.5]))
    x = torch.zeros(10, 1)
    assert hessian_top_eigenvalue(model, quadratic_loss, x, x) == pytest.approx(-4.0, rel=0.01)


def test_chunking_gives_the_same_value_as_one_chunk():
    x, _ = regression_data(n=300, d=4)
    y = torch.randint(0, 3, (300,), generator=torch.Generator().manual_seed(1))
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 3))
    whole = sharpness(model, F.cross_entropy, x, y, tol=1e-6)
    chunked = sharpness(model, F.cross_entropy, x, y, tol=1e-6, chunk=64)  # 4 chunks of 64 and one of 44
    assert chunked.eigenvalue == pytest.approx(whole.eigenvalue, rel=1e-4)


def test_the_weights_grads_and_train_mode_are_left_as_they_were():
    x, y = regression_data(n=200, d=3)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 8), nn.Dropout(0.5), nn.Tanh(), nn.Linear(8, 1))
    model.train()
    model[1].eval()  # a mixed mode must come back mixed
    before = {k: v.clone() for k, v in model.state_dict().items()}
    sharpness(model, F.mse_loss, x, y)
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    assert all(p.grad is None for p in model.parameters())
    assert [m.training for m in model.modules()] == [True, True, False, True, True]


def test_an_existing_grad_is_not_touched():
    x, y = regression_data(n=100, d=3)
    model = nn.Linear(3, 1)
    F.mse_loss(model(x), y).backward()
    grads = [p.grad.clone() for p in model.parameters()]
    sharpness(model, F.mse_loss, x, y)
    assert all(torch.equal(g, p.grad) for g, p in zip(grads, model.parameters(), strict=True))


def test_dropout_does_not_make_the_result_random_because_the_model_is_evaluated_in_eval_mode():
    x, y = regression_data(n=200, d=3)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 8), nn.Dropout(0.5), nn.Tanh(), nn.Linear(8, 1)).train()
    assert hessian_top_eigenvalue(model, F.mse_loss, x, y) == hessian_top_eigenvalue(model, F.mse_loss, x, y)


def test_it_reports_iterations_and_whether_it_converged():
    x, y = regression_data()
    model = nn.Linear(3, 1)
    cut_short = sharpness(model, F.mse_loss, x, y, iters=1)
    assert (cut_short.iterations, cut_short.converged) == (1, False)
    result = sharpness(model, F.mse_loss, x, y)
    assert isinstance(result, SharpnessResult)
    assert result.converged and 1 < result.iterations < 100


def test_it_works_inside_no_grad_as_evaluation_code_often_is():
    x, y = regression_data()
    model = nn.Linear(3, 1)
    with torch.no_grad():
        value = hessian_top_eigenvalue(model, F.mse_loss, x, y)
    assert value == pytest.approx(mse_hessian_top_eigenvalue(x), rel=0.01)


def test_the_edge_of_stability_is_two_over_the_learning_rate():
    assert edge_of_stability(0.1) == pytest.approx(20.0)
    assert edge_of_stability(0.01) == pytest.approx(200.0)


@pytest.mark.parametrize("factor, diverges", [(0.95, False), (1.05, True)])
def test_full_batch_gradient_descent_diverges_just_above_the_edge_of_stability_and_not_just_below(factor, diverges):
    data = load_splits("linear", 0.0)
    torch.manual_seed(0)
    model = build_model("linear", (1,), 1)
    lam = hessian_top_eigenvalue(model, F.mse_loss, data.x_train, data.y_train, tol=1e-6)
    lr = factor * 2 / lam
    assert edge_of_stability(lr) == pytest.approx(lam / factor)  # the sharpness sits just below / above 2/η
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    first = F.mse_loss(model(data.x_train), data.y_train).item()
    for _ in range(300):
        optimizer.zero_grad()
        loss = F.mse_loss(model(data.x_train), data.y_train)
        loss.backward()
        optimizer.step()
    last = F.mse_loss(model(data.x_train), data.y_train).item()
    assert (not math.isfinite(last) or last > first) == diverges


def test_no_samples_is_an_error_that_reads_in_korean():
    model = nn.Linear(3, 1)
    with pytest.raises(SharpnessError) as caught:
        sharpness(model, F.mse_loss, torch.zeros(0, 3), torch.zeros(0, 1))
    assert isinstance(caught.value, ValueError)
    assert str(caught.value) == "The sharpness needs at least one sample."
    assert caught.value.message.render(lambda message: CORE.get(message.key)) == (
        "날카로움을 재려면 샘플이 하나 이상 있어야 합니다.")
