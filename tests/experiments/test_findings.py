import pandas as pd

from core.experiments.findings import check


def summary(rows: list[tuple]) -> pd.DataFrame:
    columns = ["status", "batch_size", "learning_rate", "epochs", "final_train_loss", "best_val_loss"]
    df = pd.DataFrame(rows, columns=columns)
    df["run"] = range(len(df))
    return df


def test_seed_001s_claims_are_checked_against_the_measured_losses():
    measured = summary([("completed", 16, 0.1, 5, 0.095, 0.09), ("completed", 128, 0.1, 5, 0.30, 0.28),
                        ("completed", 16, 0.1, 20, 0.092, 0.09), ("completed", 128, 0.1, 20, 0.14, 0.13)])
    faster, converged = check("seed001", measured)
    assert faster.held is True and str(faster.evidence) == "batch 16: 0.0950, batch 128: 0.3000"
    assert converged.held is False  # 0.14 is 56% above the noise variance: the claim did not show up


def test_a_claim_with_missing_runs_is_not_decided():
    measured = summary([("completed", 16, 0.1, 5, 0.095, 0.09)])
    faster, _ = check("seed001", measured)
    assert faster.held is None and str(faster.evidence) == "Not all the runs this needs have finished."


def test_a_diverged_run_counts_as_unstable_for_seed_000():
    measured = summary([("completed", 16, 0.001, 20, 0.2, 0.3), ("diverged", 16, 0.01, 20, float("nan"), None),
                        ("completed", 256, 0.001, 20, 0.5, 0.6), ("completed", 256, 0.01, 20, 0.3, 0.4)])
    falls_less, unstable = check("seed000", measured)
    assert falls_less.held is True
    assert unstable.held is False  # at batch 256 LR 0.01 was better (0.4 < 0.6)
    assert str(unstable.evidence) == "batch 16: LR 0.01 diverged; batch 256: LR 0.01 0.400 vs 0.600"


def test_linear_scaling_holds_when_the_pairs_end_within_10_percent():
    measured = summary([("completed", 32, 0.05, 15, 0.3, 0.40), ("completed", 256, 0.4, 15, 0.3, 0.42)])
    (finding,) = check("seed002-scaling", measured)
    assert finding.held is True and str(finding.evidence).startswith("spread 5%")


def test_a_custom_grid_has_no_claims_to_check():
    assert check("custom", summary([("completed", 16, 0.1, 5, 0.1, 0.1)])) == []


def test_a_claim_and_its_measurements_read_in_korean_with_the_same_numbers():
    from pages.ui.texts import CORE

    measured = summary([("completed", 64, 0.1, 15, 0.3, 0.40), ("completed", 256, 0.1, 15, 0.3, 0.50),
                        ("completed", 256, 0.4, 15, 0.3, 0.45)])
    (finding,) = check("seed003", measured)
    korean = lambda message: CORE.get(message.key)  # noqa: E731
    assert finding.claim.render(korean) == (
        "큰 배치는 일반화가 더 나쁩니다: 배치 256의 최저 검증 손실이 배치 64보다 높게 끝납니다.")
    assert finding.evidence.render(korean) == "배치 64: 0.400; 배치 256, 같은 학습률: 0.500; 배치 256, 학습률 ×4: 0.450"
    assert str(finding.evidence) == "batch 64: 0.400; batch 256, same LR: 0.500; batch 256, LR ×4: 0.450"
