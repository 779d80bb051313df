"""The strings of the sweep page, and the Korean of the seed presets (core.experiments.presets) and their
findings (core.experiments.findings)."""

TEXT: dict[str, dict[str, str]] = {
    "sweep.title": {"en": "Sweep", "ko": "그리드 실험"},
    "sweep.intro": {
        "en": "Train every combination of batch sizes and learning rates — or one of the seed posts' experiments — "
              "and see them side by side. Runs go to the workers two at a time on a 2-core server; runs already in "
              "the store are reused, not trained again.",
        "ko": "배치 크기와 학습률의 모든 조합을, 또는 블로그 글의 실험 하나를 학습시켜 나란히 비교합니다. 2코어 "
              "서버에서는 실행이 두 개씩 작업 프로세스로 갑니다. 저장소에 이미 있는 실행은 다시 학습하지 않고 "
              "그대로 씁니다."},
    "sweep.experiment": {"en": "Experiment", "ko": "실험"},
    "sweep.custom": {"en": "Custom grid", "ko": "직접 고른 그리드"},
    "sweep.repeats": {"en": "Repeats (seeds per setting)", "ko": "반복 횟수 (설정당 시드 수)"},
    "sweep.repeats_help": {"en": "Several seeds per setting are drawn as mean ± spread.",
                           "ko": "설정마다 시드를 여러 개 쓰면 평균 ± 범위로 그립니다."},
    "sweep.batch_sizes": {"en": "Batch sizes", "ko": "배치 크기"},
    "sweep.learning_rates": {"en": "Learning rates", "ko": "학습률"},
    "sweep.pick_one": {"en": "Pick at least one batch size and one learning rate.",
                       "ko": "배치 크기와 학습률을 하나 이상씩 고르세요."},
    "sweep.post_saw": {"en": "**What the post saw:** {description}",
                       "ko": "**블로그 글에서 관찰한 것:** {description}"},
    "sweep.runs": {"en": "**{runs} runs** on {dataset} with the {model} model, {optimizer}, {epochs} epochs at most.",
                   "ko": "**실행 {runs}개** · 데이터셋 {dataset}, {model} 모델, {optimizer}, 최대 {epochs}에폭."},
    "sweep.run": {"en": "Run sweep", "ko": "그리드 실험 실행"},
    "sweep.stop": {"en": "Stop", "ko": "중지"},
    "sweep.stop_help": {"en": "Stops the running and queued runs; finished runs are kept.",
                        "ko": "실행 중이거나 대기 중인 실행을 멈춥니다. 끝난 실행은 남겨 둡니다."},
    "sweep.now_training": {"en": "Now training: B {batch}, LR {lr}", "ko": "지금 학습 중: 배치 {batch}, 학습률 {lr}"},
    "sweep.gone": {
        "en": "This sweep's runs are no longer on the server; press **Run sweep** to get them again.",
        "ko": "이 그리드 실험의 실행이 더 이상 서버에 없습니다. **그리드 실험 실행**을 눌러 다시 실행하세요."},
    "sweep.press": {"en": "Press **Run sweep** to train these runs.",
                    "ko": "**그리드 실험 실행**을 눌러 이 실행들을 학습하세요."},
    "sweep.finish": {"en": "Finish the sweep", "ko": "그리드 실험 마저 하기"},
    "sweep.unfinished": {
        "en": "This sweep was started before but did not finish: {finished} of its {total} settings have a "
              "finished run ({interrupted} were interrupted, for example by a server restart). **Finish the sweep** "
              "reuses the finished runs and trains the rest.",
        "ko": "이 그리드 실험은 전에 시작했지만 끝나지 않았습니다. "
              "설정 {total}개 중 {finished}개에 끝난 실행이 있습니다 ({interrupted}개는 서버 재시작 등으로 중단됨). "
              "**그리드 실험 마저 하기**를 누르면 끝난 실행은 그대로 쓰고 나머지만 학습합니다."},
    # ------------------------------------------------------------------ findings
    "sweep.claims": {"en": "The post's claims, measured here", "ko": "블로그 글의 주장을 여기서 측정한 결과"},
    "sweep.claims_rule": {
        "en": "Each claim is decided over the seeds of every arm it compares: it held when every seed of one arm "
              "is on the claimed side of every seed of the other, did not hold when every seed is on the other "
              "side, and is undecided when the ranges overlap, an arm has fewer than two seeds that trained, or a "
              "claim about where runs end meets runs still improving at their last epoch. Diverged and unstable "
              "seeds are counted, not averaged in.",
        "ko": "각 주장은 비교하는 양쪽의 시드 전체로 판단합니다: 한쪽의 모든 시드가 다른 쪽의 모든 시드보다 주장한 "
              "방향에 있으면 ‘나타남’, 모두 반대쪽에 있으면 ‘나타나지 않음’, 범위가 겹치거나, 학습된 시드가 2개보다 "
              "적거나, 끝 상태에 대한 주장인데 마지막 에폭에도 아직 나아지는 실행이 있으면 ‘판단 보류’입니다. "
              "발산하거나 불안정한 시드는 평균에 넣지 않고 따로 셉니다."},
    # ------------------------------------------------------------------ results
    "sweep.diagonals": {
        "en": "Dashed lines join the cells of equal noise temperature η/B: the linear scaling rule moves along them.",
        "ko": "점선은 노이즈 온도 η/B가 같은 칸들을 잇습니다: 선형 스케일링 규칙은 이 선을 따라 움직입니다."},
    "sweep.isolation": {"en": "The best learning rate of each batch size (isolation plot)",
                        "ko": "배치 크기마다의 최적 학습률 (분리 플롯)"},
    "sweep.isolation_caption": {
        "en": "From the tuning playbook (Godbole et al. 2023): each batch size's best validation metric against "
              "the learning rate, the mean over its seeds; a red cross marks a learning rate where a seed "
              "diverged or was unstable. Compare batch sizes only at their own best learning rates.",
        "ko": "튜닝 플레이북(Godbole et al. 2023)에서 온 그림입니다: 배치 크기마다 학습률에 따른 최고 검증 지표(시드 "
              "평균)이며, 빨간 ×는 시드가 발산했거나 불안정했던 학습률입니다. 배치 크기는 각자의 최적 학습률에서만 "
              "비교하세요."},
    "sweep.lr_at_edge": {
        "en": "The best learning rate is at the edge of the grid for {cells}: the optimum may lie beyond it, so "
              "widen the grid there before comparing those batch sizes.",
        "ko": "{cells}에서는 최적 학습률이 격자 끝에 있습니다: 최적값이 그 너머에 있을 수 있으니, 그 배치 크기들을 "
              "비교하기 전에 격자를 넓히세요."},
    "sweep.edge_cell": {"en": "batch {batch} (LR {lr})", "ko": "배치 {batch}(학습률 {lr})"},
    "sweep.temperature": {"en": "Best metric against the noise temperature η/B",
                          "ko": "노이즈 온도 η/B에 따른 최고 지표"},
    "sweep.temperature_caption": {
        "en": "Smith & Le (2018): SGD's steps are as noisy as η/B says (η/(B(1 − m)) with momentum m). Runs scaled "
              "by the linear rule share a temperature, so where the rule holds their points fall on one curve; "
              "where it breaks, the large batch falls off it. For Adam the same ratio is drawn, but the theory "
              "is SGD's.",
        "ko": "Smith & Le (2018): SGD 스텝의 노이즈 크기는 η/B(모멘텀 m이 있으면 η/(B(1 − m)))로 정해집니다. 선형 "
              "규칙으로 스케일한 실행들은 온도가 같으므로, 규칙이 성립하는 곳에서는 점들이 한 곡선 위에 놓이고, "
              "깨지는 곳에서는 큰 배치가 곡선에서 벗어납니다. Adam에도 같은 비율을 그리지만 이론은 SGD의 것입니다."},
    "sweep.curves": {"en": "Loss curves: rows = {rows}, columns = {columns}",
                     "ko": "손실 곡선: 행 = {rows}, 열 = {columns}"},
    "sweep.heatmap_acc": {"en": "Best val accuracy over {rows} × {columns}",
                          "ko": "{rows} × {columns}별 최고 검증 정확도"},
    "sweep.heatmap_loss": {"en": "Best val loss over {rows} × {columns}",
                           "ko": "{rows} × {columns}별 최저 검증 손실"},
    "sweep.all_runs": {"en": "All runs", "ko": "전체 실행"},
    "sweep.col_label": {"en": "Run", "ko": "실행"},
    "sweep.col_status": {"en": "Status", "ko": "상태"},
    "sweep.col_batch_size": {"en": "Batch size", "ko": "배치 크기"},
    "sweep.col_learning_rate": {"en": "Learning rate", "ko": "학습률"},
    "sweep.col_epochs": {"en": "Epochs", "ko": "에폭"},
    "sweep.col_seed": {"en": "Seed", "ko": "시드"},
    "sweep.col_epochs_run": {"en": "Epochs run", "ko": "실행한 에폭"},
    "sweep.col_updates": {"en": "Update steps", "ko": "업데이트 스텝"},
    "sweep.col_best_val_loss": {"en": "Best val loss", "ko": "최저 검증 손실"},
    "sweep.col_best_val_acc": {"en": "Best val accuracy", "ko": "최고 검증 정확도"},
    "sweep.col_final_train_loss": {"en": "Final train loss", "ko": "최종 학습 손실"},
    "sweep.col_wall_time": {"en": "Wall time (s)", "ko": "소요 시간 (초)"},
}

CORE: dict[str, str] = {
    # ------------------------------------------------------------------ core.experiments.presets: grid axes
    "grid.not_a_number": "{what}: {value!r}은(는) 숫자가 아닙니다.",
    "grid.not_whole": "{what}: {value!r}은(는) 정수가 아닙니다.",
    "grid.not_positive": "{what}은(는) 0보다 커야 합니다. 입력된 값: {value!r}.",
    "grid.batch_sizes": "배치 크기",
    "grid.too_many_axes": "이 실행들은 {fields}이(가) 서로 다릅니다. 그리드 차트는 배치 크기, 학습률, 에폭 중 "
                          "두 가지만 펼쳐 보입니다.",
    "grid.learning_rates": "학습률",
    # ------------------------------------------------------ core.experiments.presets: the seed posts' experiments
    "preset.seed000_title": "블로그 글 000 · 배치 {{16, 64, 256}} × 학습률 {{0.001, 0.01}}, 20에폭, {dataset}",
    "preset.seed000_saw":
        "작은 배치는 곡선이 더 흔들렸지만 결과가 좋았고, 배치 256은 곡선이 매끄러웠지만 같은 에폭 수에서 손실이 덜 "
        "떨어졌습니다. 학습률 0.01은 0.001이 안정적이던 일부 조합에서 불안정했습니다.",
    "preset.seed001_title": "블로그 글 001 · 선형 회귀, SGD 학습률 0.1, (에폭, 배치) = (5|20, 16|128)",
    "preset.seed001_saw":
        "배치 16은 에폭당 업데이트가 8배 많아 손실이 더 빨리 떨어지고, 에폭이 충분하면 모든 조합이 같은 손실"
        "(노이즈 분산 0.09) 근처에서 끝납니다.",
    "preset.seed002_lr_title":
        "블로그 글 002 · 배치 64에서 학습률 {lr:g}의 ×¼, ×½, ×1, ×2, ×4, {epochs}에폭, 모멘텀 SGD (MNIST-1D)",
    "preset.seed002_lr_saw":
        "에폭과 배치 크기를 고정하고 학습률을 ×1, ×2, ×4, ×½, ×¼로 바꿔 본 뒤 손실 곡선을 보고 고릅니다.",
    "preset.seed002_scaling_title":
        "블로그 글 002 · 선형 스케일링 쌍: 배치 ×k, 학습률 ×k, 그리고 같은 배치에 학습률을 그대로 둔 경우 (MNIST-1D)",
    "preset.seed002_scaling_saw":
        "학습률을 배치 크기에 비례해 키우면(새 학습률 = 기존 학습률 × 새 B / 기존 B) 본 샘플 수를 기준으로 그린 "
        "곡선이 비슷하게 유지되어야 하지만, 완전히 같지는 않습니다.",
    "preset.seed003_title": "블로그 글 003 · 배치 64 / 128 / 256, 학습률을 선형으로 키운 경우와 고정한 경우 (MNIST-1D)",
    "preset.seed003_saw":
        "큰 배치는 더 날카로운 최소점으로 수렴해 일반화가 나빠질 수 있습니다. 검증 손실을 지켜보세요.",
    # ------------------------------------------------------------------ core.findings: claims and what was measured
    "findings.missing": "이 판단에 필요한 실행이 아직 모두 끝나지 않았습니다.",
    "findings.list": "{first}; {rest}",
    "findings.arm": "{name}: {mean:.4g} (시드 {n}개에서 {low:.4g}–{high:.4g})",
    "findings.arm_one": "{name}: {mean:.4g} (시드 1개)",
    "findings.arm_none": "{name}: 학습된 시드 없음",
    "findings.arm_diverged": "{arm}, 시드 {seeds}개 중 {count}개 발산",
    "findings.arm_unstable": "{arm}, 시드 {seeds}개 중 {count}개 불안정",
    "findings.separated": "한쪽의 모든 시드가 다른 쪽의 모든 시드보다 주장한 방향에 있습니다",
    "findings.opposite": "모든 시드가 반대쪽에 있습니다: 데이터는 반대를 보여 줍니다",
    "findings.overlap": "범위가 겹칩니다: 차이가 시드 간 편차 안에 있습니다",
    "findings.within_margin": "두 범위가 {apart:.3g}만큼 떨어져 있어 허용 오차 {margin:.3g}보다 작습니다",
    "findings.few_seeds": "값이 있는 시드가 {n}개보다 적은 쪽이 있어, 차이를 견줄 편차가 없습니다",
    "findings.train_longer": "마지막 에폭에도 아직 나아지던 실행이 있습니다: 더 오래 학습하세요",
    "findings.batch": "배치 {batch}",
    "findings.lr": "학습률 {lr:g}",
    "findings.at_lr": "{batch}, {lr}",
    "findings.seed001_faster":
        "5에폭 후에는 배치 16(배치 128보다 업데이트 스텝이 약 8배 많음)의 학습 손실이 더 낮습니다.",
    "findings.seed001_same_end":
        "20에폭 후에는 두 배치 크기 모두 같은 손실 근처에서 끝납니다: 학습 데이터에 대한 최소제곱 최적값 "
        "{optimum:.4f}(그보다 {tolerance:.0%} 이내).",
    "findings.within": "모든 시드가 최적값의 {tolerance:.0%} 이내에서 끝납니다",
    "findings.above": "모든 시드가 최적값보다 {tolerance:.0%} 넘게 높은 곳에서 끝나고, 더 이상 떨어지지 않습니다",
    "findings.seed000_falls_less": "같은 에폭 수에서 배치 256의 학습 손실은 배치 16보다 덜 떨어집니다.",
    "findings.seed000_unstable":
        "학습률 0.01은 일부 조합에서 0.001보다 불안정합니다: 학습 손실이 더 많이 되돌아 오르거나(거칠기: 에폭에 걸쳐 "
        "손실이 다시 오른 양의 합을 떨어진 양으로 나눈 값), 실행이 발산하거나 불안정해집니다.",
    "findings.mostly_failed": "학습률 0.01의 시드 대부분이 발산하거나 불안정했습니다",
    "findings.seed002_lr_best":
        "학습률 ×¼ … ×4 중 하나가 분명히 가장 좋습니다(최저 검증 손실이 가장 낮고, 격자의 끝이 아니라 안쪽에 있음).",
    "findings.seed002_lr_unstable": "가장 큰 학습률들은 불안정합니다.",
    "findings.none_trained": "학습된 학습률이 없습니다",
    "findings.at_edge": "가장 좋은 {lr}이(가) 격자의 끝에 있습니다: 최적값이 그 바깥에 있을 수 있습니다",
    "findings.neighbours_failed": "이웃한 학습률들은 학습되지 않았습니다",
    "findings.lrs_up_to": "학습률 ≤ ×1",
    "findings.lrs_from": "학습률 ≥ ×2",
    "findings.large_failed": "×2와 ×4의 실행 {runs}개 중 {failed}개가 발산하거나 불안정했습니다",
    "findings.rougher": "발산한 실행은 없지만, 가장 큰 학습률들의 학습 손실이 더 많이 되돌아 오릅니다",
    "findings.seed002_scaling":
        "학습률을 배치 크기에 비례해 키우면 최저 검증 손실이 기준 실행과 가깝게({close:.0%} 이내) 유지되고, 같은 "
        "배치에 학습률을 키우지 않으면 뒤처집니다.",
    "findings.scaled": "{batch}, 학습률 스케일링",
    "findings.unscaled": "{batch}, 학습률 그대로",
    "findings.close": "모든 시드가 기준 실행 범위의 {close:.0%} 이내에 있습니다",
    "findings.not_close": "모든 시드가 기준 실행 범위에서 {close:.0%} 넘게 벗어납니다",
    "findings.seed003":
        "큰 배치는 일반화가 더 나쁩니다: 배치 256(학습률 ×4)의 일반화 격차가 배치 64보다 큽니다. 최적 에폭에서, 같은 "
        "학습 손실에서, 같은 업데이트 스텝 수에서 모두.",
    "findings.at_best": "최적 에폭에서",
    "findings.at_loss": "학습 손실 {level:.3g}에서",
    "findings.at_steps": "업데이트 {steps}스텝에서",
    "findings.gap_of": "{batch}의 격차 ({where})",
}
