"""The strings of the sharpness page, and the Korean of core.analysis.sharpness's and
core.experiments.sharp_vs_flat's messages."""

TEXT: dict[str, dict[str, str]] = {
    "sharp.title": {"en": "Sharpness", "ko": "날카로운 최소점"},
    "sharp.intro": {
        "en": "A minimum is *sharp* when the training loss rises steeply around it — its Hessian has a large top "
              "eigenvalue — and *flat* when it rises gently; Keskar et al. (2017) found that large-batch training "
              "ends in sharper minima that generalize worse, and seed 003 repeats the claim. Gradient descent with "
              "learning rate η cannot settle where the sharpness exceeds 2/η (the *edge of stability*, Cohen et al. "
              "2021), so the learning rate and the noise of small batches both limit how sharp a minimum training "
              "can reach.",
        "ko": "최소점 주변에서 학습 손실이 가파르게 올라가면(헤시안의 최대 고윳값이 크면) *날카로운* 최소점, "
              "완만하게 올라가면 *평평한* 최소점이라고 합니다. Keskar et al. (2017)은 큰 배치로 학습하면 더 날카로운 "
              "최소점에 도달해 일반화가 나빠진다고 보고했고, 블로그 글 003도 같은 주장을 합니다. 학습률 η인 경사 "
              "하강법은 날카로움이 2/η를 넘는 곳에 머물 수 없으므로(*안정성 경계*, Cohen et al. 2021), 학습률과 작은 "
              "배치의 노이즈가 모두 학습이 도달할 수 있는 최소점의 날카로움을 제한합니다."},
    "sharp.measured": {
        "en": "Measured here: the top eigenvalue of the Hessian of the mean training loss at the weights each run "
              "ended with, by power iteration with Hessian-vector products (at most 50), on the training set — at "
              "most its first {samples:,} samples, a fixed random subset. The training and validation losses beside "
              "it, and so the generalization gap, are measured at the same weights.",
        "ko": "여기서 재는 값: 각 실행이 끝난 가중치에서 평균 학습 손실의 헤시안 최대 고윳값입니다. 헤시안-벡터 "
              "곱(최대 50번)을 쓰는 거듭제곱법으로 학습 세트에서 계산하며, 학습 세트의 앞쪽 샘플 최대 "
              "{samples:,}개(고정된 무작위 부분집합)를 씁니다. 옆에 적힌 학습 손실과 검증 손실, 그래서 일반화 격차도 "
              "같은 가중치에서 잽니다."},
    "sharp.preset": {"en": "Preset: small vs large batch", "ko": "프리셋: 작은 배치와 큰 배치"},
    "sharp.preset_intro": {
        "en": "Trains the same settings at a small and a large batch size — same learning rate, same epochs — once "
              "per seed, then measures every minimum and decides the claim over the seeds.",
        "ko": "같은 설정을 작은 배치 크기와 큰 배치 크기로(학습률과 에폭도 같게) 시드마다 한 번씩 학습하고, 모든 "
              "최소점을 잰 다음 시드 전체로 주장을 판단합니다."},
    "sharp.small_batch": {"en": "Small batch", "ko": "작은 배치"},
    "sharp.large_batch": {"en": "Large batch", "ko": "큰 배치"},
    "sharp.steps": {"en": "batch {batch}: {per_epoch:,} updates per epoch, {total:,} in {epochs} epochs",
                    "ko": "배치 {batch}: 에폭당 {per_epoch:,}스텝, {epochs}에폭 동안 {total:,}스텝"},
    "sharp.run": {"en": "Train all and measure", "ko": "모두 학습하고 측정"},
    "sharp.first_seed": {"en": "First seed", "ko": "첫 시드"},
    "sharp.seeds": {"en": "Seeds", "ko": "시드 수"},
    "sharp.seeds_help": {"en": "Each batch size trains once per seed; a claim is decided only beyond the "
                                "seed-to-seed spread, so it needs at least 2.",
                         "ko": "배치 크기마다 시드 하나에 한 번씩 학습합니다. 주장은 시드 간 편차를 넘어설 때만 "
                               "판단하므로 2개 이상이 필요합니다."},
    "sharp.runs": {"en": "{runs} runs: each batch size with seeds {first}–{last}",
                   "ko": "실행 {runs}개: 배치 크기마다 시드 {first}–{last}"},
    "sharp.run_name": {"en": "batch {batch}, seed {seed}", "ko": "배치 {batch}, 시드 {seed}"},
    "sharp.measuring": {"en": "Batch {batch}, seed {seed}: trained; measuring the sharpness…",
                        "ko": "배치 {batch}, 시드 {seed}: 학습을 마치고 날카로움을 재는 중…"},
    "sharp.tab_val_loss": {"en": "Validation loss", "ko": "검증 손실"},
    "sharp.tab_gap": {"en": "Generalization gap (val − train)", "ko": "일반화 격차 (검증 − 학습)"},
    "sharp.tab_train_loss": {"en": "Training loss", "ko": "학습 손실"},
    "sharp.col_batch_size": {"en": "batch size", "ko": "배치 크기"},
    "sharp.col_status": {"en": "status", "ko": "상태"},
    "sharp.col_seed": {"en": "seed", "ko": "시드"},
    "sharp.col_converged": {"en": "converged", "ko": "수렴"},
    "sharp.col_converged_help": {
        "en": "Whether the power iteration settled (λ changed by under 0.1% in one step) within 50 products; an "
              "unconverged value is a lower estimate. Blank for a run stored before this was recorded.",
        "ko": "거듭제곱법이 곱 50번 안에 자리를 잡았는지(한 번에 λ 변화가 0.1% 미만) 여부입니다. 수렴하지 않은 값은 "
              "실제보다 낮게 잡힌 값입니다. 이 정보가 기록되기 전에 저장된 실행은 빈칸입니다."},
    "sharp.converged_yes": {"en": "yes", "ko": "예"},
    "sharp.converged_no": {"en": "no", "ko": "아니요"},
    "sharp.col_epoch": {"en": "at epoch", "ko": "측정 에폭"},
    "sharp.col_epoch_help": {"en": "The epoch of the weights measured: the last one, or the best one when early "
                                   "stopping restored its weights.",
                             "ko": "잰 가중치의 에폭입니다: 마지막 에폭, 또는 조기 종료가 최적 에폭의 가중치를 "
                                   "되돌렸다면 그 에폭입니다."},
    "sharp.col_train_loss": {"en": "train loss", "ko": "학습 손실"},
    "sharp.col_val_loss": {"en": "val loss", "ko": "검증 손실"},
    "sharp.col_sharpness": {"en": "sharpness", "ko": "날카로움"},
    "sharp.col_sharpness_help": {"en": "Top Hessian eigenvalue", "ko": "헤시안의 최대 고윳값"},
    "sharp.col_gap": {"en": "generalization gap", "ko": "일반화 격차"},
    "sharp.col_gap_help": {"en": "Validation − training loss, at the same weights as the sharpness",
                           "ko": "검증 손실 − 학습 손실, 날카로움과 같은 가중치에서"},
    "sharp.no_edge_adam": {
        "en": "No stability edge is drawn for {optimizer}: the 2/η bound is about steps that are the gradient "
              "times η (SGD, and (2 + 2β)/η with momentum). Adam divides each parameter's step by its own running "
              "gradient size, so its bound applies to the preconditioned Hessian (Cohen et al. 2022), not to the "
              "sharpness measured here. Choose SGD or momentum to see the edge.",
        "ko": "{optimizer}에는 안정성 경계를 그리지 않습니다: 2/η 경계는 스텝이 그래디언트 × η인 경우(SGD, 모멘텀은 "
              "(2 + 2β)/η)에 대한 것입니다. Adam은 파라미터마다 스텝을 그 파라미터의 그래디언트 크기로 나누므로, "
              "경계는 여기서 잰 날카로움이 아니라 전처리된 헤시안에 적용됩니다(Cohen et al. 2022). 경계를 보려면 SGD나 "
              "모멘텀을 고르세요."},
    "sharp.edge_share": {
        "en": "Stability edge {edge:.4g}: gradient descent at this learning rate diverges along any direction "
              "sharper than this. The sharpest run is at {sharpest:.4g}, {share:.0%} of it — a run near 100% is "
              "training at the edge of stability (Cohen et al. 2021).",
        "ko": "안정성 경계 {edge:.4g}: 이 학습률의 경사 하강은 이보다 날카로운 방향으로 발산합니다. 가장 날카로운 "
              "실행은 {sharpest:.4g}로 경계의 {share:.0%}입니다. 100%에 가까운 실행은 안정성 경계에서 학습하고 있는 "
              "것입니다(Cohen et al. 2021)."},
    "sharp.col_test_acc": {"en": "test accuracy", "ko": "테스트 정확도"},
    "sharp.claim": {"en": "Seed 003's claim, measured here", "ko": "블로그 글 003의 주장, 여기서 잰 결과"},
    "sharp.claim_rule": {
        "en": "Each link is decided over the seeds: it held when every seed of one batch size is beyond every seed "
              "of the other by more than the tolerance ({sharpness:.0%} of the flatter batch size's mean sharpness; "
              "{gap:g} of loss for the gap), did not hold when the data show the opposite, and is undecided inside "
              "the spread or the tolerance, with fewer than two seeds, or when the two batch sizes ended at mean "
              "training losses more than {ratio:g}× apart: sharpness and gap both change as the fit goes on (the "
              "Hessian of a cross-entropy loss shrinks with the loss), so runs at different stages of training "
              "cannot be compared.",
        "ko": "각 연결 고리는 시드 전체로 판단합니다: 한 배치 크기의 모든 시드가 다른 배치 크기의 모든 시드보다 허용 "
              "오차(날카로움은 더 평평한 쪽 평균의 {sharpness:.0%}, 격차는 손실 {gap:g})보다 더 멀리 있으면 ‘나타남’, "
              "데이터가 반대를 보이면 ‘나타나지 않음’, 편차나 허용 오차 안이거나, 시드가 2개보다 적거나, 두 배치 "
              "크기의 평균 학습 손실이 {ratio:g}배 넘게 차이 나면 ‘판단 보류’입니다. 날카로움과 격차는 학습이 "
              "진행될수록 달라지므로(교차 엔트로피 손실의 헤시안은 손실과 함께 작아집니다) 학습의 서로 다른 단계에 "
              "있는 실행은 비교할 수 없습니다."},
    "sharp.caveat": {
        "en": "Both batch sizes train the same epochs, so the large batch makes far fewer updates and usually ends "
              "less trained; the verdict compares the two only where their training losses are close. To get "
              "there, train longer (the small batch's loss keeps falling too), or pick batch sizes closer "
              "together.",
        "ko": "두 배치 크기는 같은 에폭 수만큼 학습하므로 큰 배치는 업데이트 스텝이 훨씬 적고 보통 학습이 덜 된 채로 "
              "끝납니다. 판정은 두 학습 손실이 가까울 때만 둘을 비교합니다. 그렇게 하려면 더 오래 학습하거나(작은 "
              "배치의 손실도 계속 내려갑니다) 더 가까운 두 배치 크기를 고르세요."},


}

CORE: dict[str, str] = {
    # core/analysis/sharpness.py
    "sharpness.no_samples": "날카로움을 재려면 샘플이 하나 이상 있어야 합니다.",
    "sharpness.no_parameters": "모델에 그래디언트를 계산하는(requires_grad) 파라미터가 없어 손실의 헤시안이 없습니다.",
    # core/experiments/sharp_vs_flat.py
    "sharp_preset.large_sharper": "큰 배치 → 더 날카로운 최소점",
    "sharp_preset.sharper_worse": "더 날카로움 → 더 나쁜 일반화",
    "sharp_preset.small_not_below_large": "작은 배치({small})는 큰 배치({large})보다 작아야 합니다.",
    "sharp_preset.seeds": "시드 수는 1에서 {most} 사이여야 합니다. 받은 값: {seeds}.",
    "sharp_preset.held": "이 데이터에서 블로그 글의 주장이 나타났습니다: 시드 {seeds}개에서 큰 배치가 더 날카로운 "
                         "최소점에 도달했고 일반화도 더 나빴으며, 둘 다 시드 간 편차를 넘어섰습니다. 작은 데이터셋 "
                         "하나의 모델 하나이고, 에폭이 같으므로 큰 배치의 업데이트 스텝은 훨씬 적습니다.",
    "sharp_preset.undecided": "이 실행들로는 블로그 글의 주장을 판단할 수 없습니다: “{claim}”이(가) 판단 보류입니다"
                              "({why}).",
    "sharp_preset.not_held_one": "이 데이터에서는 블로그 글의 주장이 나타나지 않았습니다: 시드 {seeds}개에서 "
                                 "“{claim}”이(가) 여기서는 성립하지 않았습니다. 작은 데이터셋 하나로는 어느 쪽도 "
                                 "증명할 수 없으니, 다른 설정으로도 시도해 보세요.",
    "sharp_preset.not_held_both": "이 데이터에서는 블로그 글의 주장이 나타나지 않았습니다: 시드 {seeds}개에서 "
                                  "“{first}”와(과) “{second}”이(가) 여기서는 성립하지 않았습니다. 작은 데이터셋 "
                                  "하나로는 어느 쪽도 증명할 수 없으니, 다른 설정으로도 시도해 보세요.",
    "sharp_preset.ratio": "큰 배치의 평균은 작은 배치의 {ratio:.3g}배",
    "sharp_preset.unconverged": "{runs}에서 거듭제곱법이 수렴하지 않았습니다(그 값은 실제보다 낮게 잡힌 값입니다)",
    "sharp_preset.negative": "음수 값은 가장 강한 곡률이 아래로 휘어 있다는 뜻입니다: 그 실행은 최소점이 아니라 안장점 "
                             "근처에서 끝났습니다",
    "sharp_preset.gap_arm": "{batch}의 격차",
    "sharp_preset.loss_arm": "{batch}의 학습 손실",
    "sharp_preset.different_stage": "두 배치 크기가 학습의 서로 다른 단계에서 끝났습니다. 평균 학습 손실이 "
                                    "{small:.3g}와(과) {large:.3g}로 {ratio:g}배 넘게 차이 나는데, 날카로움과 격차는 "
                                    "학습이 진행될수록 달라집니다: 둘 다 비슷한 학습 손실에 이를 때까지 학습하세요",
    "sharp_preset.needs_validation": "두 배치 크기 모두 검증 손실이 필요합니다(검증 비율을 0보다 크게 하세요).",
    "sharp_preset.no_sharper_run": "어느 배치 크기가 더 날카롭게 끝나는지 판단 보류이므로, 판단할 더 날카로운 쪽이 "
                                   "없습니다",
}
