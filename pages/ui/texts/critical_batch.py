"""The strings of the critical_batch page (pages/7_Critical_Batch.py), and the Korean of the
messages its core modules (core/critical_batch.py, core/noise_scale.py) say."""

TEXT: dict[str, dict[str, str]] = {
    "cb.title": {"en": "Critical batch size", "ko": "임계 배치 크기"},
    "cb.intro": {
        "en": "Up to a point, doubling the batch halves the update steps training needs; beyond it, a bigger batch "
              "buys little. That point is the **critical batch size**. Measure it two ways on the same data: the "
              "*gradient noise scale* B_simple = tr(Σ)/|G|² during one run (McCandlish et al. 2018), and the "
              "*steps needed to reach a target* for several batch sizes, each with its best learning rate "
              "(Shallue et al. 2019).",
        "ko": "어느 지점까지는 배치를 두 배로 키우면 학습에 필요한 업데이트 스텝이 절반으로 줄지만, 그 지점을 넘으면 "
              "배치를 키워도 얻는 것이 거의 없습니다. 그 지점이 **임계 배치 크기**입니다. 같은 데이터에서 두 가지 "
              "방법으로 재어 보세요: 한 번의 학습 중에 재는 *그래디언트 노이즈 스케일* B_simple = tr(Σ)/|G|² "
              "(McCandlish et al. 2018), 그리고 여러 배치 크기에서 각자 가장 좋은 학습률로 *목표에 닿기까지 "
              "필요한 스텝 수*(Shallue et al. 2019)입니다."},
    # ------------------------------------------------------------------ 1. noise scale during one run
    "cb.noise_header": {"en": "1 · Gradient noise scale during training",
                        "ko": "1 · 학습 중 그래디언트 노이즈 스케일"},
    "cb.noise_intro": {
        "en": "Trains one run and, after every epoch, measures B_simple from 4 micro-batch gradients at the same "
              "weights (8 draws per epoch, smoothed). It is measured at this run's learning rate: a learning rate "
              "that is too large biases it low.",
        "ko": "한 번 학습하면서 에폭마다 같은 가중치에서 마이크로 배치 4개의 그래디언트로 B_simple을 잽니다(에폭당 "
              "8번 측정, 평활화). 이 실행의 학습률에서 재는 값이므로, 학습률이 너무 크면 실제보다 낮게 나옵니다."},
    "cb.noise_batch": {"en": "Batch size", "ko": "배치 크기"},
    "cb.noise_lr": {"en": "Learning rate", "ko": "학습률"},
    "cb.noise_button": {"en": "Train and measure", "ko": "학습하며 측정"},
    "cb.noise_progress": {"en": "{status}: {done} of {epochs} epochs", "ko": "{status}: {epochs}에폭 중 {done}에폭"},
    "cb.noise_failed": {"en": "Measuring failed: {message}", "ko": "측정 실패: {message}"},
    "cb.noise_metric": {"en": "Critical batch size ≈", "ko": "임계 배치 크기 ≈"},
    "cb.noise_metric_help": {
        "en": "B_simple after the last epoch. It usually grows as training goes on and the gradient signal shrinks "
              "relative to its noise.",
        "ko": "마지막 에폭 뒤의 B_simple입니다. 학습이 진행되어 그래디언트의 신호가 노이즈에 비해 작아질수록 "
              "보통 커집니다."},
    # ------------------------------------------------------------------ 2. steps to target
    "cb.steps_header": {"en": "2 · Steps to reach a target", "ko": "2 · 목표에 닿기까지의 스텝 수"},
    "cb.steps_intro": {
        "en": "Trains every batch size with each learning rate below, takes for each batch size the learning rate "
              "that reaches the target in the fewest update steps, and fits S = S_min (1 + B_crit / B). "
              "Steps are counted at the end of the epoch that reached the target.",
        "ko": "모든 배치 크기를 아래의 각 학습률로 학습하고, 배치 크기마다 가장 적은 업데이트 스텝으로 목표에 닿은 "
              "학습률을 골라 S = S_min (1 + B_crit / B)를 적합합니다. 스텝 수는 목표에 닿은 에폭이 끝난 "
              "시점에서 셉니다."},
    "cb.batches": {"en": "Batch sizes", "ko": "배치 크기"},
    "cb.lrs": {"en": "Learning rates to try per batch size", "ko": "배치 크기마다 시험할 학습률"},
    "cb.target_metric": {"en": "Target metric", "ko": "목표 지표"},
    "cb.metric.val_acc": {"en": "validation accuracy ≥", "ko": "검증 정확도 ≥"},
    "cb.metric.val_loss": {"en": "validation loss ≤", "ko": "검증 손실 ≤"},
    "cb.target": {"en": "Target", "ko": "목표값"},
    "cb.pick_grid": {"en": "Pick at least one batch size and one learning rate.",
                     "ko": "배치 크기와 학습률을 하나 이상씩 고르세요."},
    "cb.runs_caption": {"en": "{runs} runs of {epochs} epochs; runs already in the store are reused.",
                        "ko": "{epochs}에폭짜리 실행 {runs}개. 이미 저장된 실행은 다시 씁니다."},
    "cb.run": {"en": "Run", "ko": "실행"},
    "cb.your_batch": {"en": "Your batch size", "ko": "내 배치 크기"},
    "cb.your_batch_help": {"en": "The batch size you train with: the answer below says where it stands.",
                           "ko": "실제로 학습에 쓰는 배치 크기입니다. 아래 답이 이 값이 어디쯤인지 알려 줍니다."},
    "cb.answer": {
        "en": "**Batch {batch} is about {ratio:.2g}× the critical batch size measured here** ({b_crit:,.0f}; "
              "{spread}): {regime}, on this data, model and target.",
        "ko": "**배치 {batch}은(는) 여기서 잰 임계 배치 크기의 약 {ratio:.2g}배입니다** ({b_crit:,.0f}; {spread}): "
              "이 데이터·모델·목표에서는 {regime} 구간입니다."},
    "cb.spread": {"en": "from {low:,.0f} to {high:,.0f} when any one batch size is left out of the fit",
                  "ko": "배치 크기 하나씩을 빼고 적합하면 {low:,.0f}에서 {high:,.0f}"},
    "cb.no_spread": {"en": "too few points to say how much it rests on any one of them",
                     "ko": "점이 적어 한 점에 얼마나 좌우되는지는 알 수 없음"},
    "cb.not_reached": {"en": "not reached", "ko": "도달하지 못함"},
    "cb.col.batch_size": {"en": "batch size", "ko": "배치 크기"},
    "cb.col.steps": {"en": "steps to target", "ko": "목표까지 스텝 수"},
    "cb.col.best_lr": {"en": "best LR", "ko": "최적 학습률"},
    "cb.col.regime": {"en": "regime", "ko": "구간"},
    "cb.none_reached": {
        "en": "No run reached the target: choose an easier target, more epochs or other learning rates.",
        "ko": "목표에 닿은 실행이 없습니다. 더 쉬운 목표, 더 많은 에폭 또는 다른 학습률을 고르세요."},
    "cb.no_fit": {
        "en": "The measured steps do not follow S = S_min (1 + B_crit / B) (too few points, or steps that grow "
              "with the batch size), so no critical batch size is fitted.",
        "ko": "잰 스텝 수가 S = S_min (1 + B_crit / B)를 따르지 않아(점이 너무 적거나, 배치 크기와 함께 스텝 "
              "수가 늘어남) 임계 배치 크기를 적합하지 않았습니다."},
    "cb.fit_metric": {"en": "Fitted critical batch size B_crit", "ko": "적합한 임계 배치 크기 B_crit"},
    "cb.fit_metric_help": {
        "en": "S_min = {s_min:,.0f} steps: the fewest steps any batch size could need.",
        "ko": "S_min = {s_min:,.0f}스텝: 어떤 배치 크기로도 이보다 적게는 필요하지 않은 최소 스텝 수입니다."},
    "cb.compare_noise": {
        "en": "The noise scale measured above ended at **{noise:,.0f}**; McCandlish et al. predict "
              "B_crit ≈ B_noise. Here the ratio is {ratio:.2g}.",
        "ko": "위에서 잰 노이즈 스케일의 마지막 값은 **{noise:,.0f}**입니다. McCandlish et al.은 "
              "B_crit ≈ B_noise를 예측합니다. 여기서는 그 비율이 {ratio:.2g}입니다."},
}

# The Korean of the messages made in core/critical_batch.py and core/noise_scale.py (English beside the code).
CORE: dict[str, str] = {
    # ------------------------------------------------------------------ core/critical_batch.py
    "critical.metric": "지표(metric)는 '_loss'나 '_acc'로 끝나야 합니다. 입력된 값: {metric!r}.",
    "critical.perfect_scaling": "완벽한 스케일링",
    "critical.diminishing_returns": "수확 체감",
    "critical.maximal_parallelism": "최대 데이터 병렬성",
    # ------------------------------------------------------------------ core/noise_scale.py
    "noise.k_below_two": "배치 크기가 두 가지 필요하므로 k는 2 이상이어야 합니다. 입력된 값: k={k}.",
    "noise.batch_below_one": "batch_size는 1 이상이어야 합니다. 입력된 값: {batch_size}.",
    "noise.too_few_samples":
        "batch_size={batch_size}인 마이크로 배치 k={k}개에는 서로 다른 샘플 {needed}개가 필요한데 {n}개뿐입니다.",
    "noise.beta": "beta는 [0, 1) 범위여야 합니다. 입력된 값: {beta}.",
    "noise.two_batches":
        "노이즈 스케일을 재려면 크기 {batch_size}인 배치 두 개가 한 번에 필요한데, 학습 샘플이 {n_train}개뿐입니다. "
        "배치 크기를 {most} 이하로 고르세요.",
}
