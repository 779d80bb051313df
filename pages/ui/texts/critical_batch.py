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
        "en": "Trains one run and, after every epoch, measures B_simple from 8 draws of 4 micro-batch gradients at "
              "the same weights: the ratio of the mean estimates, with a 95% interval from resampling those draws "
              "(it covered the exact value about 9 times in 10 on a problem where it is known). It is measured at "
              "this run's learning rate: a learning rate that is too large biases it low.",
        "ko": "한 번 학습하면서 에폭마다 같은 가중치에서 마이크로 배치 4개의 그래디언트를 8번 뽑아 B_simple을 잽니다: "
              "추정값 평균의 비율이며, 그 측정값들을 다시 뽑아 구한 95% 구간이 함께 나옵니다(정답을 아는 문제에서 "
              "10번 중 약 9번 정답을 포함했습니다). 이 실행의 학습률에서 재는 값이므로, 학습률이 너무 크면 실제보다 "
              "낮게 나옵니다."},
    "cb.noise_batch": {"en": "Batch size", "ko": "배치 크기"},
    "cb.noise_lr": {"en": "Learning rate", "ko": "학습률"},
    "cb.noise_button": {"en": "Train and measure", "ko": "학습하며 측정"},
    "cb.noise_progress": {"en": "{status}: {done} of {epochs} epochs", "ko": "{status}: {epochs}에폭 중 {done}에폭"},
    "cb.noise_failed": {"en": "Measuring failed: {message}", "ko": "측정 실패: {message}"},
    "cb.noise_metric": {"en": "Gradient noise scale B_simple", "ko": "그래디언트 노이즈 스케일 B_simple"},
    "cb.noise_interval": {"en": "95% interval from this epoch's draws: {low:,.0f}–{high:,.0f}.",
                          "ko": "이번 에폭 측정값으로 구한 95% 구간: {low:,.0f}–{high:,.0f}."},
    "cb.noise_open_interval": {
        "en": "95% interval from this epoch's draws: from {low:,.0f}, with no upper end (some resampled draws "
              "put the mean squared gradient at or below zero).",
        "ko": "이번 에폭 측정값으로 구한 95% 구간: {low:,.0f}부터, 위쪽 끝 없음(다시 뽑은 일부 측정값에서 그래디언트 "
              "제곱의 평균이 0 이하)."},
    "cb.noise_metric_help": {
        "en": "B_simple after the last epoch: the batch size at which a batch's gradient noise is as large as its "
              "signal. McCandlish et al. predict the critical batch size is close to the noise scale (B_noise, of "
              "which B_simple is the simple form) averaged over training. It usually grows as training goes on.",
        "ko": "마지막 에폭 뒤의 B_simple: 배치 그래디언트의 노이즈가 신호만큼 커지는 배치 크기입니다. McCandlish "
              "et al.은 임계 배치 크기가 학습 동안 평균한 노이즈 스케일(B_noise, B_simple은 그 단순한 형태)에 "
              "가깝다고 예측합니다. 보통 학습이 진행될수록 커집니다."},
    # ------------------------------------------------------------------ 2. steps to target
    "cb.steps_header": {"en": "2 · Steps to reach a target", "ko": "2 · 목표에 닿기까지의 스텝 수"},
    "cb.steps_intro": {
        "en": "Counts the update steps S each batch size needs to reach a target, as Shallue et al. (2019) do: "
              "every run has the same budget of update steps and is evaluated on the validation set at step "
              "resolution (every step at first, then about 10% apart), ending when it meets the target. The "
              "learning rate is tuned per batch size: the smallest batch tries the learning rates below, every "
              "larger one three values centred on the scaling rule's prediction from the smallest batch's best "
              "(linear for SGD, square root for Adam), and a best LR at the edge of its grid widens the grid once. "
              "Then S = S_min (1 + B_crit / B) is fitted, with a bootstrap interval, and the page says when the "
              "fit cannot be trusted.",
        "ko": "Shallue et al. (2019)처럼 배치 크기마다 목표에 닿기까지 필요한 업데이트 스텝 수 S를 셉니다: 모든 "
              "실행은 같은 업데이트 스텝 예산을 받고, 검증 세트에서 스텝 단위로(처음에는 매 스텝, 그다음에는 약 "
              "10% 간격으로) 평가되며, 목표에 닿으면 끝납니다. 학습률은 배치 크기마다 조정합니다: 가장 작은 배치는 "
              "아래 학습률들을 시험하고, 더 큰 배치는 가장 작은 배치의 최적 학습률에서 스케일링 규칙(SGD는 선형, "
              "Adam은 제곱근)이 예측한 값을 가운데 둔 세 값을 시험하며, 최적 학습률이 격자 끝에 있으면 격자를 한 "
              "번 넓힙니다. 그다음 S = S_min (1 + B_crit / B)를 부트스트랩 구간과 함께 적합하고, 적합을 믿을 수 "
              "없을 때는 그렇다고 알려 줍니다."},
    "cb.batches": {"en": "Batch sizes", "ko": "배치 크기"},
    "cb.lrs": {"en": "Learning rates at the smallest batch size", "ko": "가장 작은 배치 크기의 학습률"},
    "cb.lrs_help": {"en": "At least three; the larger batch sizes search around the scaling rule's prediction.",
                    "ko": "세 개 이상 고르세요. 더 큰 배치 크기는 스케일링 규칙이 예측한 값 주변을 찾습니다."},
    "cb.budget": {"en": "Step budget per run", "ko": "실행당 스텝 예산"},
    "cb.budget_help": {
        "en": "The most update steps a run may make; one that has not met the target by then is censored "
              "(its steps are more than this) and stays out of the fit.",
        "ko": "한 실행이 할 수 있는 최대 업데이트 스텝 수입니다. 그때까지 목표에 닿지 못한 실행은 중도 절단되어"
              "(스텝 수가 이보다 많음) 적합에서 빠집니다."},
    "cb.seeds": {"en": "Seeds", "ko": "시드 수"},
    "cb.seeds_help": {"en": "Runs per setting; the interval resamples them (with one seed, the fit's residuals).",
                      "ko": "설정마다의 실행 수입니다. 구간은 이들을 다시 뽑아 구합니다(시드가 하나면 적합의 "
                            "잔차를 다시 뽑습니다)."},
    "cb.target_metric": {"en": "Target metric", "ko": "목표 지표"},
    "cb.metric.val_acc": {"en": "validation accuracy ≥", "ko": "검증 정확도 ≥"},
    "cb.metric.val_loss": {"en": "validation loss ≤", "ko": "검증 손실 ≤"},
    "cb.target": {"en": "Target", "ko": "목표값"},
    "cb.runs_caption": {
        "en": "Up to {runs} runs of at most {budget:,} update steps each ({small_epochs} epochs at batch {small}, "
              "{large_epochs} at batch {large}); each ends when it meets the target, and the larger batch sizes "
              "start once the smallest one's learning rates have finished.",
        "ko": "실행 최대 {runs}개, 각각 업데이트 스텝 최대 {budget:,}번(배치 {small}에서 {small_epochs}에폭, 배치 "
              "{large}에서 {large_epochs}에폭). 각 실행은 목표에 닿으면 끝나고, 더 큰 배치 크기는 가장 작은 배치의 "
              "학습률들이 끝난 뒤에 시작합니다."},
    "cb.less_noisy": {
        "en": "Batch {batch} is more than a quarter of the {n:,} training samples: drawn without replacement, its "
              "gradient is as noisy as an independent batch of about {effective:,.0f} (B(N − 1)/(N − B)).",
        "ko": "배치 {batch}은(는) 학습 샘플 {n:,}개의 4분의 1보다 큽니다: 중복 없이 뽑으므로 그래디언트의 노이즈가 "
              "독립적으로 뽑은 약 {effective:,.0f}짜리 배치와 같습니다(B(N − 1)/(N − B))."},
    "cb.run_name": {"en": "batch {batch}, LR {lr:g}, seed {seed}", "ko": "배치 {batch}, 학습률 {lr:g}, 시드 {seed}"},
    "cb.examples_caption": {
        "en": "The trade-off a practitioner pays for: a larger batch saves update steps (left, towards S_min) and "
              "spends more training examples (up, away from E_min = S_min · B_crit); the bend of the curve is "
              "B_crit.",
        "ko": "실무자가 치르는 맞교환입니다: 배치를 키우면 업데이트 스텝을 아끼고(왼쪽, S_min 쪽으로) 학습 예제를 "
              "더 씁니다(위쪽, E_min = S_min · B_crit에서 멀어짐). 곡선이 꺾이는 곳이 B_crit입니다."},
    "cb.censored": {
        "en": "Batch {batches} did not reach the target within {budget:,} steps at any learning rate tried: drawn "
              "as a lower bound (an open triangle at the budget) and left out of the fit.",
        "ko": "배치 {batches}은(는) 시험한 어떤 학습률로도 {budget:,}스텝 안에 목표에 닿지 못했습니다: 하한(예산 "
              "위치의 빈 삼각형)으로 그리고, 적합에서는 뺍니다."},
    "cb.curves_caption": {
        "en": "Each batch size's best learning rate, one line per seed, on its way to the target (the dashed "
              "line): against update steps the large batches get there first, against samples seen the small ones "
              "do. That is the whole trade-off, and B_crit is where it turns.",
        "ko": "배치 크기마다 최적 학습률의 실행이 목표(점선)로 가는 모습이며, 시드마다 선 하나입니다: 업데이트 "
              "스텝으로 보면 큰 배치가 먼저 닿고, 본 샘플 수로 보면 작은 배치가 먼저 닿습니다. 이것이 맞교환의 "
              "전부이고, B_crit은 그것이 뒤바뀌는 곳입니다."},
    "cb.partial": {"en": "{done} of {total} batch sizes have finished their learning-rate search; the fit comes "
                          "when all have.",
                   "ko": "배치 크기 {total}개 중 {done}개가 학습률 탐색을 마쳤습니다. 모두 마치면 적합합니다."},
    "cb.run": {"en": "Run", "ko": "실행"},
    "cb.your_batch": {"en": "Your batch size", "ko": "내 배치 크기"},
    "cb.your_batch_help": {"en": "The batch size you train with: the answer below says where it stands.",
                           "ko": "실제로 학습에 쓰는 배치 크기입니다. 아래 답이 이 값이 어디쯤인지 알려 줍니다."},
    "cb.answer": {
        "en": "**B_crit ≈ {b_crit:,.0f}** ({interval}) and **S_min ≈ {s_min:,.0f} steps** ({s_min_interval}), so "
              "E_min ≈ {e_min:,.0f} examples. **Batch {batch} is about {ratio:.2g}× B_crit**: {regime}, on this "
              "data, model and target.",
        "ko": "**B_crit ≈ {b_crit:,.0f}** ({interval}), **S_min ≈ {s_min:,.0f}스텝** ({s_min_interval}), 그래서 "
              "E_min ≈ {e_min:,.0f}개 예제입니다. **배치 {batch}은(는) B_crit의 약 {ratio:.2g}배입니다**: 이 "
              "데이터·모델·목표에서는 {regime} 구간입니다."},
    "cb.interval": {"en": "95% bootstrap interval {low:,.0f}–{high:,.0f}",
                    "ko": "95% 부트스트랩 구간 {low:,.0f}–{high:,.0f}"},
    "cb.no_interval": {"en": "no interval: too few resamples could be fitted",
                       "ko": "구간 없음: 적합할 수 있는 재표본이 너무 적음"},
    "cb.not_determined": {"en": "B_crit is not determined here. {why}",
                          "ko": "여기서는 B_crit을 정할 수 없습니다. {why}"},
    "cb.not_reached": {"en": "not within {budget:,} (more)", "ko": "{budget:,} 안에 못 닿음(그 이상)"},
    "cb.col.batch_size": {"en": "batch size", "ko": "배치 크기"},
    "cb.col.steps": {"en": "steps to target (median)", "ko": "목표까지 스텝 수(중앙값)"},
    "cb.col.seeds": {"en": "each seed", "ko": "시드별"},
    "cb.col.grid": {"en": "LRs searched", "ko": "탐색한 학습률"},
    "cb.col.edge": {"en": "best LR at edge", "ko": "최적 학습률이 끝에"},
    "cb.edge_yes": {"en": "yes", "ko": "예"},
    "cb.at_edge": {
        "en": "At batch {batches} the best learning rate is at the edge of its grid even after widening it once: "
              "the true optimum may lie beyond it, and the steps there may be fewer.",
        "ko": "배치 {batches}에서는 격자를 한 번 넓힌 뒤에도 최적 학습률이 격자 끝에 있습니다: 실제 최적값은 그 "
              "너머에 있을 수 있고, 거기서는 스텝이 더 적을 수 있습니다."},
    "cb.noise_other_setup": {
        "en": "The noise scale above was measured on another dataset, model or optimizer, so it is not set beside "
              "this B_crit.",
        "ko": "위의 노이즈 스케일은 다른 데이터셋·모델·옵티마이저에서 잰 값이라 이 B_crit과 나란히 두지 않습니다."},
    "cb.col.best_lr": {"en": "best LR", "ko": "최적 학습률"},
    "cb.col.regime": {"en": "regime", "ko": "구간"},
    "cb.compare_noise": {
        "en": "The noise scale measured above, averaged over its {epochs} epochs up to the one that met this "
              "target, is **{noise:,.0f}**; McCandlish et al. predict B_crit ≈ B_noise, and B_crit / B_simple is "
              "{ratio:.2g} here.",
        "ko": "위에서 잰 노이즈 스케일을 이 목표에 닿은 에폭까지 {epochs}에폭 동안 평균하면 **{noise:,.0f}**입니다. "
              "McCandlish et al.은 B_crit ≈ B_noise를 예측하며, 여기서 B_crit / B_simple은 {ratio:.2g}입니다."},
    "cb.compare_noise_unreached": {
        "en": "The noise-scale run above never met this target; averaged over all its {epochs} epochs it is "
              "**{noise:,.0f}** (B_crit / B_simple = {ratio:.2g}), an average over less training than the target "
              "takes.",
        "ko": "위의 노이즈 스케일 실행은 이 목표에 닿지 못했습니다. 전체 {epochs}에폭 동안 평균하면 "
              "**{noise:,.0f}**(B_crit / B_simple = {ratio:.2g})로, 목표까지 가는 데 필요한 것보다 짧은 학습의 "
              "평균입니다."},
    "cb.compare_adam": {
        "en": "With Adam the relation B_crit ≈ B_noise is looser: it is derived for SGD, and Adam rescales each "
              "parameter's step, so read the ratio as a rough check.",
        "ko": "Adam에서는 B_crit ≈ B_noise 관계가 더 느슨합니다: SGD를 두고 유도한 것이고 Adam은 파라미터마다 스텝 "
              "크기를 다시 조정하므로, 이 비율은 대략적인 확인으로 읽으세요."},
}

# The Korean of the messages made in core/critical_batch.py and core/noise_scale.py (English beside the code).
CORE: dict[str, str] = {
    # ------------------------------------------------------------ core/analysis/critical_batch.py, steps_to_target.py
    "critical.few_batches": "배치 크기를 두 개 이상(적합하려면 세 개 이상) 고르세요. 고른 수: {count}.",
    "critical.few_lrs": "가장 작은 배치 크기의 최적 학습률을 격자 끝과 구별하려면 학습률을 세 개 이상 고르세요. "
                        "고른 수: {count}.",
    "critical.seeds": "시드 수는 1에서 {most} 사이여야 합니다. 받은 값: {seeds}.",
    "critical.budget_epochs": "업데이트 스텝 {budget:,}번의 예산은 배치 {batch}에서(에폭당 업데이트 {per_epoch}번) "
                              "{epochs:,}에폭이 걸리는데, 한 실행은 최대 {cap:,}에폭입니다: 예산이나 가장 큰 배치를 "
                              "줄이세요.",
    "critical.too_few": "배치 크기 {tested}개 중 {reached}개만 목표에 닿았습니다. 적합하려면 {needed}개가 필요합니다.",
    "critical.no_floor": "배치가 커져도 스텝 수가 바닥값을 향해 줄지 않으므로 S = S_min (1 + B_crit / B)로 설명되지 "
                         "않습니다.",
    "critical.no_bend": "이 범위에서는 꺾임이 보이지 않았습니다: 모든 배치 크기가 가장 작은 배치 스텝 수의 약 1/B "
                        "만에 목표에 닿았습니다(완벽한 스케일링). 더 큰 배치나 더 어려운 목표로 시도해 보세요.",
    "critical.s_min_below_one": "적합한 S_min이 {s_min:.2g}스텝으로, 업데이트 한 번보다 작습니다.",
    "critical.above_n": "적합한 B_crit({b_crit:,.0f})이 학습 샘플 {n:,}개보다 큽니다.",
    "critical.outside": "적합한 B_crit({b_crit:,.0f})이 목표에 닿은 배치 크기 범위({low}–{high}) 밖에 있어, 잰 값 "
                        "중 어느 것도 그것을 붙잡아 주지 않습니다.",
    "target.metric": "목표 지표는 {metrics} 중 하나여야 합니다. 받은 값: {metric!r}.",
    "target.value": "목표는 0 이상의 수여야 합니다(정확도는 1 이하). 받은 값: {target}.",
    "target.budget": "스텝 예산은 업데이트 스텝 1번 이상이어야 합니다. 받은 값: {budget}.",
    "critical.perfect_scaling": "완벽한 스케일링",
    "critical.diminishing_returns": "수확 체감",
    "critical.maximal_parallelism": "최대 데이터 병렬성",
    # ------------------------------------------------------------------ core/noise_scale.py
    "noise.k_below_two": "배치 크기가 두 가지 필요하므로 k는 2 이상이어야 합니다. 입력된 값: k={k}.",
    "noise.batch_below_one": "batch_size는 1 이상이어야 합니다. 입력된 값: {batch_size}.",
    "noise.too_few_samples":
        "batch_size={batch_size}인 마이크로 배치 k={k}개에는 서로 다른 샘플 {needed}개가 필요한데 {n}개뿐입니다.",
    "noise.two_batches":
        "노이즈 스케일을 재려면 크기 {batch_size}인 배치 두 개가 한 번에 필요한데, 학습 샘플이 {n_train}개뿐입니다. "
        "배치 크기를 {most} 이하로 고르세요.",
}
