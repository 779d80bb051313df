"""The strings of the sharpness page, and the Korean of core.sharpness's and core.sharpness_preset's messages."""

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
        "en": "Measured here: the top eigenvalue of the Hessian of the mean training loss at the final weights, by "
              "power iteration with Hessian-vector products (at most 50), on the training set — at most its first "
              "{samples:,} samples, a fixed random subset.",
        "ko": "여기서 재는 값: 최종 가중치에서 평균 학습 손실의 헤시안 최대 고윳값입니다. 헤시안-벡터 곱(최대 "
              "50번)을 쓰는 거듭제곱법으로 학습 세트에서 계산하며, 학습 세트의 앞쪽 샘플 최대 {samples:,}개(고정된 "
              "무작위 부분집합)를 씁니다."},
    "sharp.preset": {"en": "Preset: small vs large batch", "ko": "프리셋: 작은 배치와 큰 배치"},
    "sharp.preset_intro": {
        "en": "Trains the same settings at a small and a large batch size — same learning rate, same epochs — then "
              "measures both minima and checks the claim on the numbers.",
        "ko": "같은 설정을 작은 배치 크기와 큰 배치 크기로 학습하고(학습률과 에폭도 같게) 두 최소점을 잰 다음, "
              "그 수치로 주장을 확인합니다."},
    "sharp.small_batch": {"en": "Small batch", "ko": "작은 배치"},
    "sharp.large_batch": {"en": "Large batch", "ko": "큰 배치"},
    "sharp.steps": {"en": "batch {batch}: {per_epoch:,} updates per epoch, {total:,} in {epochs} epochs",
                    "ko": "배치 {batch}: 에폭당 {per_epoch:,}스텝, {epochs}에폭 동안 {total:,}스텝"},
    "sharp.run": {"en": "Train both and measure", "ko": "둘 다 학습하고 측정"},
    "sharp.measuring": {"en": "Batch {batch}: trained; measuring the sharpness…",
                        "ko": "배치 {batch}: 학습을 마치고 날카로움을 재는 중…"},
    "sharp.tab_val_loss": {"en": "Validation loss", "ko": "검증 손실"},
    "sharp.tab_gap": {"en": "Generalization gap (val − train)", "ko": "일반화 격차 (검증 − 학습)"},
    "sharp.tab_train_loss": {"en": "Training loss", "ko": "학습 손실"},
    "sharp.col_run": {"en": "run", "ko": "실행"},
    "sharp.small_run": {"en": "small batch", "ko": "작은 배치"},
    "sharp.large_run": {"en": "large batch", "ko": "큰 배치"},
    "sharp.col_batch_size": {"en": "batch size", "ko": "배치 크기"},
    "sharp.col_lr": {"en": "LR", "ko": "학습률"},
    "sharp.col_status": {"en": "status", "ko": "상태"},
    "sharp.col_sharpness": {"en": "sharpness", "ko": "날카로움"},
    "sharp.col_sharpness_help": {"en": "Top Hessian eigenvalue", "ko": "헤시안의 최대 고윳값"},
    "sharp.col_final_train_loss": {"en": "final train loss", "ko": "최종 학습 손실"},
    "sharp.col_best_val_loss": {"en": "best val loss", "ko": "최저 검증 손실"},
    "sharp.col_gap": {"en": "generalization gap", "ko": "일반화 격차"},
    "sharp.col_gap_help": {"en": "Validation − training loss at the epoch with the best validation loss",
                           "ko": "검증 손실이 가장 낮은 에폭에서 검증 손실 − 학습 손실"},
    "sharp.col_test_acc": {"en": "test accuracy", "ko": "테스트 정확도"},
    "sharp.col_edge": {"en": "stability edge 2/η", "ko": "안정성 경계 2/η"},
    "sharp.col_edge_help": {
        "en": "Gradient descent with this learning rate diverges along a direction sharper than this: 2/η for SGD, "
              "(2 + 2β)/η with momentum β. Adam rescales every step, so it has no such bound (blank).",
        "ko": "이 학습률의 경사 하강은 이보다 날카로운 방향으로 발산합니다: SGD는 2/η, 모멘텀 β가 있으면 (2 + 2β)/η. "
              "Adam은 스텝마다 크기를 다시 조정하므로 이런 경계가 없습니다(빈칸)."},
    "sharp.claim": {"en": "Seed 003's claim, measured here", "ko": "블로그 글 003의 주장, 여기서 잰 결과"},
    "sharp.held": {"en": "Held", "ko": "성립"},
    "sharp.not_held": {"en": "Did not hold", "ko": "성립하지 않음"},
    "sharp.undecided": {"en": "Not decided", "ko": "판단 불가"},
    "sharp.finding": {"en": "{icon} **{claim}: {word}.** *Measured:* {evidence}.",
                      "ko": "{icon} **{claim}: {word}.** *측정값:* {evidence}."},
    "sharp.caveat": {
        "en": "Both runs train the same epochs, so the large batch makes far fewer updates: a higher validation "
              "loss can be under-training rather than a sharp minimum, and the gap is the cleaner sign.",
        "ko": "두 실행은 같은 에폭 수만큼 학습하므로 큰 배치는 업데이트 스텝이 훨씬 적습니다. 검증 손실이 더 높은 "
              "것은 날카로운 최소점 때문이 아니라 학습이 덜 된 탓일 수 있으니, 일반화 격차가 더 깨끗한 신호입니다."},
}

CORE: dict[str, str] = {
    # core/sharpness.py
    "sharpness.no_samples": "날카로움을 재려면 샘플이 하나 이상 있어야 합니다.",
    "sharpness.no_parameters": "모델에 그래디언트를 계산하는(requires_grad) 파라미터가 없어 손실의 헤시안이 없습니다.",
    # core/sharpness_preset.py
    "sharp_preset.large_sharper": "큰 배치 → 더 날카로운 최소점",
    "sharp_preset.sharper_worse": "더 날카로움 → 더 나쁜 일반화",
    "sharp_preset.small_not_below_large": "작은 배치({small})는 큰 배치({large})보다 작아야 합니다.",
    "sharp_preset.held": "이 데이터에서 블로그 글의 주장이 나타났습니다: 큰 배치가 더 날카로운 최소점에 도달했고 "
                         "일반화도 더 나빴습니다.",
    "sharp_preset.undecided": "이 실행들로는 아직 블로그 글의 주장을 판단할 수 없습니다(필요한 수치가 없는 실행이 "
                              "있습니다).",
    "sharp_preset.not_held_one": "이 데이터에서는 블로그 글의 주장이 나타나지 않았습니다: “{claim}”이(가) 여기서는 "
                                 "성립하지 않았습니다. 작은 데이터셋 하나에서 실행 한 쌍만으로는 어느 쪽도 증명할 수 "
                                 "없으니, 다른 시드나 설정으로도 시도해 보세요.",
    "sharp_preset.not_held_both": "이 데이터에서는 블로그 글의 주장이 나타나지 않았습니다: “{first}”와(과) "
                                  "“{second}”이(가) 여기서는 성립하지 않았습니다. 작은 데이터셋 하나에서 실행 한 "
                                  "쌍만으로는 어느 쪽도 증명할 수 없으니, 다른 시드나 설정으로도 시도해 보세요.",
    "sharp_preset.no_sharpness_one": "배치 {batch}의 날카로움이 없습니다(발산했거나 중지된 실행에는 없습니다).",
    "sharp_preset.no_sharpness_both": "배치 {small}와(과) 배치 {large}의 날카로움이 없습니다(발산했거나 중지된 "
                                      "실행에는 없습니다).",
    "sharp_preset.ratio": " ({ratio:.2g}배)",
    "sharp_preset.sharper_evidence": "배치 {large_batch}의 날카로움 {large:.4g} 대 배치 {small_batch}의 "
                                     "{small:.4g}{ratio}",
    "sharp_preset.needs_sharpness": "두 실행 모두의 날카로움이 필요합니다.",
    "sharp_preset.equally_sharp": "두 실행의 날카로움이 같습니다.",
    "sharp_preset.needs_validation": "두 실행 모두 검증 손실이 필요합니다(검증 비율을 0보다 크게 하세요).",
    "sharp_preset.worse_evidence": "더 날카로운 실행(배치 {sharp_batch})과 배치 {flat_batch}: 일반화 격차 "
                                   "{sharp_gap:.4f} 대 {flat_gap:.4f}, 최저 검증 손실 {sharp_val:.4f} 대 "
                                   "{flat_val:.4f}",
}
