"""The strings of the calculator page (pages/4_Calculator.py), and the Korean of core/scaling.py's messages."""

TEXT: dict[str, dict[str, str]] = {
    "calc.title": {"en": "Scaling calculator", "ko": "학습률 스케일링 계산기"},
    "calc.intro": {
        "en": "A paper trained with batch 1024 and you can only fit 64? Or you doubled the batch and wonder what to "
              "do with the learning rate? Enter the old setting and the new batch size: the calculator gives each "
              "rule's learning rate — and **Verify** trains them, so you see where a rule holds and where it breaks.",
        "ko": "논문은 배치 1024로 학습했는데 내 환경에는 64밖에 안 들어가나요? 아니면 배치 크기를 두 배로 늘렸는데 "
              "학습률은 어떻게 해야 할지 궁금한가요? 기존 설정과 새 배치 크기를 넣으면 계산기가 규칙마다 학습률을 "
              "알려 주고, **학습으로 검증**을 누르면 실제로 학습시켜 어떤 규칙이 어디까지 맞고 어디서 깨지는지 "
              "보여 줍니다."},
    # ------------------------------------------------------------------ inputs
    "calc.example_paper": {"en": "Example: batch 1024, LR 16 → batch 64",
                           "ko": "예시: 배치 1024, 학습률 16 → 배치 64"},
    "calc.example_adamw": {"en": "Example: batch 64, LR 2e-5 (AdamW) → batch 128",
                           "ko": "예시: 배치 64, 학습률 2e-5 (AdamW) → 배치 128"},
    "calc.old_batch": {"en": "Old batch size", "ko": "기존 배치 크기"},
    "calc.old_lr": {"en": "Old learning rate", "ko": "기존 학습률"},
    "calc.new_batch": {"en": "New batch size", "ko": "새 배치 크기"},
    "calc.n": {"en": "Training samples N", "ko": "학습 샘플 수 N"},
    # ------------------------------------------------------------------ the rules
    "calc.linear": {"en": "Linear rule", "ko": "선형 스케일링 규칙"},
    "calc.linear_note": {
        "en": "Goyal et al. 2017: k times larger batches average k times more gradients per step, so take k times "
              "larger steps. Held for ResNet-50 on ImageNet up to batch 8k, with warm-up.",
        "ko": "Goyal 외 2017: 배치가 k배 커지면 한 스텝에서 k배 많은 그래디언트를 평균하므로, 스텝도 k배 크게 "
              "내딛습니다. ImageNet의 ResNet-50에서 워밍업과 함께 배치 8k까지 성립했습니다."},
    "calc.sqrt": {"en": "Square-root rule", "ko": "제곱근 규칙"},
    "calc.sqrt_note": {
        "en": "Krizhevsky 2014; Hoffer et al. 2017: keeps the variance of the update the same, since a k times "
              "larger batch has √k times less gradient noise.",
        "ko": "Krizhevsky 2014; Hoffer 외 2017: 배치가 k배 커지면 그래디언트 노이즈가 √k배 줄어드므로, "
              "업데이트의 분산이 그대로 유지되게 합니다."},
    "calc.adam": {"en": "Adam: the square-root rule with its β and ε (Malladi et al. 2022)",
                  "ko": "Adam: β와 ε까지 함께 바꾸는 제곱근 규칙 (Malladi 외 2022)"},
    "calc.adam_no_beta": {"en": "no valid value: k is too large for this β",
                          "ko": "유효한 값 없음: 이 β에는 k가 너무 큽니다"},
    "calc.adam_values": {
        "en": "From the defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-8: **LR {lr:.6g}**, **β₁ {beta1}**, **β₂ {beta2}**, "
              "**ε {eps:.3g}**.",
        "ko": "기본값 β₁ = 0.9, β₂ = 0.999, ε = 1e-8에서 시작하면: **학습률 {lr:.6g}**, **β₁ {beta1}**, "
              "**β₂ {beta2}**, **ε {eps:.3g}**."},
    "calc.adam_note": {
        "en": "Derived from a stochastic differential equation that Adam follows; it keeps the training dynamics "
              "the same when the batch changes.",
        "ko": "Adam이 따르는 확률 미분 방정식(SDE)에서 유도한 규칙으로, 배치 크기가 바뀌어도 학습 동역학을 그대로 "
              "유지합니다."},
    "calc.warmup": {"en": "Warm-up", "ko": "워밍업"},
    "calc.symbols": {"en": "η, B: the learning rate and batch size before; η′, B′: after; k = B′ / B.",
                     "ko": "η, B: 바꾸기 전의 학습률과 배치 크기, η′, B′: 바꾼 뒤, k = B′ / B."},
    "calc.recommended_linear": {
        "en": "**Recommended for {optimizer}: LR {lr:.6g}** at batch {batch}, by the linear rule (with the warm-up "
              "below).",
        "ko": "**{optimizer}에 권하는 값: 학습률 {lr:.6g}** (배치 {batch}, 선형 스케일링 규칙, 아래 워밍업과 함께)."},
    "calc.recommended_sqrt": {
        "en": "**Recommended for {optimizer}: LR {lr:.6g}** at batch {batch}, by the square-root rule for Adam "
              "(Malladi et al.), with β and ε scaled as below. Seed 002's example used the linear rule.",
        "ko": "**{optimizer}에 권하는 값: 학습률 {lr:.6g}** (배치 {batch}, Adam용 제곱근 규칙, Malladi 외), β와 ε도 "
              "아래처럼 바꿉니다. 블로그 글 002의 예시는 선형 규칙을 썼습니다."},
    "calc.beta1_short": {
        "en": "β₁ falls to {beta1} at k = {k:g}: Adam's first moment would average only about 1 / (1 − β₁) "
              "gradients, where 0.9 averages 10. The rule is derived for many small steps; this far it is an "
              "extrapolation. Check it with Verify, or scale the batch in smaller stages.",
        "ko": "k = {k:g}에서 β₁이 {beta1}(으)로 떨어집니다. Adam의 1차 모멘트가 그래디언트를 약 1 / (1 − β₁)개만 "
              "평균하게 됩니다(0.9는 10개). 이 규칙은 작은 스텝이 많을 때를 가정해 유도했으므로 여기까지는 외삽입니다. "
              "검증으로 확인하거나 배치를 여러 단계로 나눠 키우세요."},
    "calc.verify_data": {
        "en": "Verify trains {dataset}: {n:,} training samples, so {old:,} updates per epoch at batch {old_batch} and "
              "{new:,} at batch {new_batch}. (The N = {typed:,} above is for the arithmetic only.)",
        "ko": "검증은 {dataset}을(를) 학습합니다: 학습 샘플 {n:,}개, 배치 {old_batch}에서 에폭당 업데이트 {old:,}번, "
              "배치 {new_batch}에서 {new:,}번. (위의 N = {typed:,}은 계산에만 쓰입니다.)"},
    "calc.warmup_note": {
        "en": "Goyal et al.: start at the old LR and add a constant each step, reaching the recommended LR "
              "{lr:.6g} after {epochs:.3g} of the {run_epochs} epochs ({steps:,} updates at batch {batch}); a large "
              "LR from the first step can wreck the early, fast-changing phase of training. Goyal's warm-up was 5 "
              "of 90 epochs: a run this long gets the same share of it (at most 5 epochs).",
        "ko": "Goyal 외: 기존 학습률에서 시작해 스텝마다 같은 값을 더해, {run_epochs}에폭 중 {epochs:.3g}에폭 뒤(배치 "
              "{batch}에서 {steps:,}번 업데이트)에 권하는 학습률 {lr:.6g}에 이릅니다. 첫 스텝부터 큰 학습률을 쓰면 "
              "빠르게 변하는 학습 초반을 망칠 수 있습니다. Goyal의 워밍업은 90에폭 중 5에폭이었으므로, 이 길이의 "
              "학습에는 같은 비율(최대 5에폭)을 씁니다."},
    "calc.no_warmup_lower": {"en": "The learning rate goes down, so no warm-up is needed.",
                             "ko": "학습률이 내려가므로 워밍업이 필요 없습니다."},
    "calc.no_warmup_same": {"en": "The learning rate stays the same, so no warm-up is needed.",
                            "ko": "학습률이 그대로이므로 워밍업이 필요 없습니다."},
    # ------------------------------------------------------------------ update arithmetic
    "calc.updates": {"en": "Update steps", "ko": "업데이트 스텝"},
    "calc.per_epoch": {"en": "updates per epoch", "ko": "에폭당 업데이트"},
    "calc.in_epochs": {"en": "updates in {epochs} epochs", "ko": "{epochs}에폭 동안의 업데이트"},
    "calc.in_one_epoch": {"en": "updates in 1 epoch", "ko": "1에폭 동안의 업데이트"},
    "calc.before": {"en": "before: batch {batch}", "ko": "기존: 배치 {batch}"},
    "calc.after": {"en": "after: batch {batch}", "ko": "변경 후: 배치 {batch}"},
    "calc.same_updates": {
        "en": "A scaling rule keeps the **epochs**: the larger LR makes up for the fewer updates. Only if you keep "
              "the old LR would you need as many updates as before: {epochs:,} epochs at batch {batch} "
              "(⌈{old_total:,} / {per_epoch:,}⌉).",
        "ko": "스케일링 규칙은 **에폭 수**를 그대로 둡니다: 커진 학습률이 줄어든 업데이트 횟수를 메웁니다. "
              "기존 학습률을 그대로 쓸 때만 이전만큼 업데이트해야 하며, 그러려면 배치 {batch}에서 {epochs:,}에폭이 "
              "필요합니다 "
              "(⌈{old_total:,} / {per_epoch:,}⌉)."},
    "calc.same_updates_one": {
        "en": "A scaling rule keeps the **epochs**: the larger LR makes up for the fewer updates. Only if you keep "
              "the old LR would you need as many updates as before: {epochs:,} epoch at batch {batch} "
              "(⌈{old_total:,} / {per_epoch:,}⌉).",
        "ko": "스케일링 규칙은 **에폭 수**를 그대로 둡니다: 커진 학습률이 줄어든 업데이트 횟수를 메웁니다. "
              "기존 학습률을 그대로 쓸 때만 이전만큼 업데이트해야 하며, 그러려면 배치 {batch}에서 {epochs:,}에폭이 "
              "필요합니다 "
              "(⌈{old_total:,} / {per_epoch:,}⌉)."},
    "calc.advice": {
        "en": "**Advice from seed 002 — a rule of thumb, not a law.** A rescaled run rarely matches exactly. If the "
              "accuracy comes out slightly lower, train about 10–20% more epochs ({low}–{high} instead of {epochs}, "
              "with early stopping). If it overfits, lower the learning rate a little (e.g. {lower:.3g} instead of "
              "{lr:.3g}).",
        "ko": "**블로그 글 002의 조언 — 법칙이 아니라 경험칙입니다.** 스케일링한 실행이 원래 결과와 정확히 같아지는 "
              "일은 드뭅니다. 정확도가 조금 낮게 나오면 에폭을 10–20%쯤 더 학습하세요({epochs} 대신 "
              "{low}–{high}에폭, 조기 종료와 함께). 과적합이 보이면 학습률을 조금 낮추세요(예: {lr:.3g} 대신 "
              "{lower:.3g})."},
    # ------------------------------------------------------------------ verify by training
    "calc.verify_header": {"en": "Verify it by training", "ko": "학습으로 검증하기"},
    "calc.verify_intro": {
        "en": "Trains the old setting and, at the new batch size for the same epochs: the linear rule without a "
              "warm-up, the recommended rule with the warm-up above, the square-root rule (for Adam, Malladi's, with "
              "β and ε scaled), and the unscaled LR as the control that shows what the rule itself changes. The "
              "curves are overlaid against samples seen.",
        "ko": "기존 설정과, 같은 에폭 수로 새 배치 크기에서 다음을 학습합니다: 워밍업 없는 선형 규칙, 위의 워밍업을 "
              "쓰는 권장 규칙, 제곱근 규칙(Adam은 β와 ε도 바꾸는 Malladi 규칙), 그리고 규칙 자체가 무엇을 바꾸는지 "
              "보여 주는 대조군인 스케일링하지 않은 학습률. 본 샘플 수를 가로축으로 곡선을 겹쳐 그립니다."},
    "calc.verify_warmup": {
        "en": "The warm-up arm climbs from LR {start:.3g} to {lr:.3g} over {epochs:.3g} of the {run_epochs} epochs: "
              "{steps:,} of its {total:,} updates.",
        "ko": "워밍업 실행은 {run_epochs}에폭 중 {epochs:.3g}에폭 동안, 즉 업데이트 {total:,}번 중 {steps:,}번 동안 "
              "학습률 {start:.3g}에서 {lr:.3g}(으)로 올라갑니다."},
    "calc.verify_epochs": {"en": "Epochs to train", "ko": "학습할 에폭 수"},
    "calc.cannot_verify": {"en": "These settings cannot be verified on {dataset}: {error}",
                           "ko": "{dataset}에서는 이 설정을 검증할 수 없습니다: {error}"},
    "calc.verify": {"en": "Verify", "ko": "학습으로 검증"},
    "calc.y_axis": {"en": "Y axis", "ko": "세로축"},
    "calc.y_axis_help": {
        "en": "A diverging run's loss can be thousands of times the others' and flatten them into lines along the "
              "bottom. “Fit the stable runs” cuts the axis above the runs that did not diverge.",
        "ko": "발산하는 실행의 손실은 다른 실행의 수천 배가 되어 나머지 곡선을 바닥의 평평한 선으로 눌러 버릴 수 "
              "있습니다. ‘안정적인 실행에 맞춤’은 발산하지 않은 실행 위에서 세로축을 자릅니다."},
    "calc.y_fit": {"en": "Fit the stable runs", "ko": "안정적인 실행에 맞춤"},
    "calc.y_full": {"en": "Full range", "ko": "전체 범위"},
    "calc.y_log": {"en": "Log scale", "ko": "로그 눈금"},
    "calc.y_clipped": {
        "en": "The y axis stops at {top:.3g} so that the other curves stay readable: {runs} went above it and are "
              "drawn along the top edge (the table below has their values).",
        "ko": "다른 곡선이 잘 보이도록 세로축을 {top:.3g}에서 잘랐습니다. {runs}은(는) 그보다 높이 올라가 위쪽 "
              "가장자리에 그려집니다(값은 아래 표에 있습니다)."},
    "calc.y_clipped_one": {
        "en": "The y axis stops at {top:.3g} so that the other curves stay readable: {runs} went above it and is "
              "drawn along the top edge (the table below has its values).",
        "ko": "다른 곡선이 잘 보이도록 세로축을 {top:.3g}에서 잘랐습니다. {runs}은(는) 그보다 높이 올라가 위쪽 "
              "가장자리에 그려집니다(값은 아래 표에 있습니다)."},
    "calc.col_run": {"en": "run", "ko": "실행"},
    "calc.col_batch": {"en": "batch size", "ko": "배치 크기"},
    "calc.col_lr": {"en": "LR", "ko": "학습률"},
    "calc.col_warmup": {"en": "warm-up epochs", "ko": "워밍업 에폭"},
    "calc.col_betas": {"en": "β₁, β₂, ε", "ko": "β₁, β₂, ε"},
    "calc.col_status": {"en": "status", "ko": "상태"},
    "calc.col_updates": {"en": "updates", "ko": "업데이트 수"},
    "calc.col_train_loss": {"en": "final train loss", "ko": "최종 학습 손실"},
    "calc.col_val_loss": {"en": "best val loss", "ko": "최저 검증 손실"},
    "calc.col_val_acc": {"en": "val accuracy at the best val loss", "ko": "최저 검증 손실 때의 검증 정확도"},
}

CORE: dict[str, str] = {  # core/scaling.py
    "calc.run_old": "기존 설정",
    "calc.run_linear": "선형 스케일링 규칙, 워밍업 없음",
    "calc.run_linear_warmup": "선형 스케일링 규칙 + 워밍업",
    "calc.run_malladi": "제곱근 규칙, β와 ε도 조정 (Malladi)",
    "calc.run_malladi_warmup": "Malladi 규칙 + 워밍업",
    "calc.run_sqrt": "제곱근 규칙",
    "calc.run_unscaled": "스케일링하지 않은 학습률",
    "calc.not_whole": "{name!r}은(는) 1 이상의 정수여야 합니다. 입력된 값: {value!r}.",
    "calc.not_positive": "'old_lr'은(는) 양수여야 합니다. 입력된 값: {value!r}.",
    "calc.batch_above_samples":
        "{name!r}({value})이(가) 학습 샘플 {n_samples}개보다 큽니다. 배치에는 학습 샘플을 최대 전부까지만 담을 수 "
        "있습니다.",
}
