"""The Korean of core's messages: key -> template with the same {placeholders} as the English.

The English template is in core, where the message is made (Message("key", "English ...")).
"""

KOREAN: dict[str, str] = {
    # ------------------------------------------------------------------ a run's status
    "status.queued": "대기 중",
    "status.running": "학습 중",
    "status.completed": "완료",
    "status.stopped": "중지됨",
    "status.diverged": "발산",
    "status.unstable": "불안정",
    "status.early_stopped": "조기 종료",
    "status.failed": "실패",
    "status.interrupted": "중단됨",
    # ------------------------------------------------------------------ config
    "config.an_int": "정수",
    "config.a_float": "실수",
    "config.interval": "{range} 범위의 {kind}",
    "config.options": "{values} 중 하나",
    "config.out_of_range": "TrainConfig의 {name!r} 값은 {allowed}여야 합니다. 입력된 값: {value!r}.",
    "config.model_dataset": "모델 {model!r}은(는) 데이터셋 {dataset!r}에 맞지 않습니다. {models} 중에서 고르세요.",
    "config.warmup_too_long":
        "TrainConfig의 'warmup_epochs'는 학습의 {epochs} 에포크 이하여야 합니다. 입력값: {warmup_epochs:g}.",
    "config.early_stopping_needs_val":
        "조기 종료는 검증 손실을 지켜봅니다. 'val_fraction'을 0보다 크게 하거나 'early_stopping'을 끄세요.",
    "config.no_training_samples":
        "학습 샘플이 남지 않습니다: 'max_samples'={max_samples}, 'val_fraction'={val_fraction}이면 모두 떼어 냅니다.",
    "config.batch_too_large":
        "배치 크기('batch_size')는 {dataset!r}의 학습 샘플 {n_train}개(검증용 {val_fraction:.0%}를 떼어 낸 뒤) "
        "이하여야 합니다. 입력된 값: {batch_size}.",
    "config.classes_cifar_only": "'classes' 설정은 cifar10에만 쓰입니다. {dataset!r}에서는 비워 두세요.",
    "config.classes":
        "'classes'에는 0..{last} 범위의 서로 다른 클래스 번호를 두 개 이상 넣어야 합니다. 입력된 값: {classes!r}.",
    "config.unknown_fields": "TrainConfig에 없는 설정: {fields}.",
    "config.updates_per_epoch": "샘플이 하나 이상, 배치 크기가 1 이상이어야 합니다. 입력된 값: N={n}, B={b}.",
    # ------------------------------------------------------------------ limits
    "limits.not_whole": "{variable}은(는) 정수여야 합니다. 입력된 값: {text!r}.",
    "limits.below_one": "{variable}은(는) 1 이상이어야 합니다. 입력된 값: {text!r}.",
    "settings.below": "{variable}은(는) {minimum} 이상이어야 합니다. 입력된 값: {text!r}.",
    "settings.timeout": "BATCHLAB_DOWNLOAD_TIMEOUT은(는) 0보다 큰 초 단위 숫자여야 합니다. 입력된 값: {text!r}.",
    "limits.epochs":
        "이 서버는 실행당 최대 {cap}에폭까지 학습합니다(요청: {epochs}에폭). "
        "서버 운영자가 BATCHLAB_MAX_EPOCHS로 늘릴 수 있습니다.",
    "limits.samples":
        "이 서버는 실행당 최대 {cap:,}개 샘플로 학습합니다. 지금 설정은 {n_train:,}개를 씁니다. "
        "'추가 설정'에서 샘플 상한을 정하세요(또는 클래스를 줄이세요). "
        "서버 운영자가 BATCHLAB_MAX_TRAIN_SAMPLES로 늘릴 수 있습니다.",
    "limits.grid":
        "실행 {runs}개를 요청했습니다. 이 서버는 한 번에 최대 {cap}개까지 받습니다. 배치 크기, 학습률 또는 "
        "반복 횟수를 줄이세요(BATCHLAB_MAX_GRID_RUNS로 상한을 늘릴 수 있습니다).",
    # ------------------------------------------------------------------ devices and data
    "device.no_cuda": "CUDA를 골랐지만 이 서버에는 CUDA GPU가 없습니다. 'auto'나 'cpu'를 고르세요.",
    "device.no_mps": "MPS를 골랐지만 이 컴퓨터에는 Apple GPU가 없습니다. 'auto'나 'cpu'를 고르세요.",
    "device.unknown": "알 수 없는 장치 {device!r}. 'auto', 'cpu', 'cuda', 'mps' 중에서 고르세요.",
    "data.cifar_corrupt": "CIFAR-10 파일 {path}을(를) 읽을 수 없거나 손상되었습니다({error}).",
    "data.cifar_mismatch": "CIFAR-10 파일 {path}에 이미지는 {images}개인데 레이블은 {labels}개입니다.",
    "data.cifar_advice":
        "압축을 푼 '{folder}' 폴더를 {root}에 넣거나, 오프라인 데이터셋(mnist1d, digits, linear)을 고르세요.",
    "data.cifar_offline": "CIFAR-10이 {root}에 없고 내려받을 수도 없습니다({error}). {advice}",
    "data.cifar_download_failed": "CIFAR-10 내려받기에 실패했습니다({error}). {advice}",
    "data.incomplete":
        "디스크의 {title} 데이터가 불완전합니다: 이 설정에는 학습 샘플 {train}개와 테스트 샘플 {test}개가 "
        "필요한데 {found_train}개와 {found_test}개만 있습니다.",
    # ------------------------------------------------------------------ runs
    "run.non_finite": "업데이트 스텝 {step}(에폭 {epoch})에서 손실이 유한하지 않은 값(NaN/무한대)이 되었습니다.",
    "run.early_stopped": "검증 손실이 {patience}에폭 동안 나아지지 않아 에폭 {epoch} 뒤에 멈췄습니다.",
    "run.early_stopped_restored":
        "검증 손실이 {patience}에폭 동안 나아지지 않아 에폭 {epoch} 뒤에 멈추고, 에폭 {best}의 가중치로 되돌렸습니다.",
    "store.prefix_reuse":
        "저장된 실행 {run}({trained}에폭 학습)의 처음 {n}에폭을 가져왔습니다. 다시 학습할 필요가 없습니다.",
    "store.prefix_reuse_one":
        "저장된 실행 {run}({trained}에폭 학습)의 첫 에폭을 가져왔습니다. 다시 학습할 필요가 없습니다.",
    "jobs.stopped_before_start": "시작하기 전에 중지했습니다.",
    "jobs.worker_died":
        "이 실행을 학습하던 작업 프로세스가 종료되었습니다(종료 코드 {code}). 보고된 {epochs}에폭은 남겨 둡니다. "
        "다시 실행해 보세요.",
    "jobs.not_saved": "{message} (이 실행을 저장하지 못했습니다: {error})",
    "jobs.not_saved_alone": "이 실행을 저장하지 못했습니다: {error}",
    "jobs.closed": "이 실행이 대기하거나 학습하는 동안 서버가 닫혔습니다. 다시 학습하세요.",
    # ------------------------------------------------------------------ charts
    "chart.epoch": "에폭",
    "chart.step": "업데이트 스텝",
    "chart.samples": "본 샘플 수",
    "chart.time": "경과 시간(초)",
    "chart.train": "학습",
    "chart.validation": "검증",
    "chart.loss": "손실",
    "chart.accuracy": "정확도",
    "chart.split": "구분",
    "chart.per_epoch": "에폭별 {label}",
    "chart.every_step": "업데이트 스텝마다의 학습 손실",
    "chart.learning_rate": "학습률",
    "chart.batch_size": "배치 크기",
    "dataset.linear": "선형 회귀 (y = 3x + 노이즈)",
    "dataset.mnist1d": "MNIST-1D",
    "dataset.digits": "손글씨 숫자 (8×8)",
    "dataset.cifar10": "CIFAR-10",
    "chart.epochs_trained": "학습한 에폭 수",
    "chart.best_val_acc": "최고 검증 정확도",
    "chart.best_val_loss": "최저 검증 손실",
    "chart.train_loss": "학습 손실",
    "chart.val_loss": "검증 손실",
    "chart.train_acc": "학습 정확도",
    "chart.train_loss_running": "학습 손실, 에폭 동안의 이동 평균",
    "chart.train_running": "학습, 이동 평균",
    "chart.lr_schedule": "업데이트 스텝마다의 학습률",
    "chart.val_acc": "검증 정확도",
    "chart.gap": "일반화 격차(검증 − 학습 손실)",
    "chart.run_pick": "실행(클릭하면 강조)",
    "chart.run": "실행",
    "chart.seeds": "시드 수",
    "chart.sharpness": "날카로움: 헤시안 최대 고윳값",
    "chart.seed": "시드",
    "chart.mean_over_seeds": "시드 평균",
    "chart.stability_edge": "안정성 경계 {edge:.4g}: 이보다 날카로우면 경사 하강이 발산합니다",
    "chart.seed_min": "시드 중 최솟값",
    "chart.seed_max": "시드 중 최댓값",
    "chart.diverged": "발산",
    "chart.unstable": "불안정",
    "unstable.no_better": "학습 손실이 {end:.4g}에서 끝나 시작할 때의 {start:.4g}보다 낮지 않습니다: 이 학습률로는 "
                          "학습되지 않았습니다.",
    "unstable.chance": "학습 정확도가 {best:.1%}까지 올랐다가 클래스 {classes}개의 우연 수준인 {end:.1%}(으)로 "
                       "떨어졌습니다.",
    "unstable.spike": "에폭 {epoch}에서 학습 손실이 {loss:.4g}(으)로 뛰어, 그때까지의 최저값({best:.4g})의 "
                      "{factor:g}배를 넘었습니다.",
    "chart.runs": "실행 수",
    "chart.valley": "골짜기(valley)",
    "chart.steep": "가장 가파른 하강",
    "chart.minimum": "최소점 / 10",
    "chart.smoothed_loss": "평활화한 학습 손실",
    "chart.range_test": "범위 테스트",
    "chart.suggestion": "추천",
    "chart.lr_log": "학습률(로그 눈금)",
    "chart.raw_loss": "평활화 전 손실",
    "chart.b_simple": "그래디언트 노이즈 스케일 B_simple(로그)",
    "chart.noise_title": "학습 중 그래디언트 노이즈 스케일 B_simple과 각 에폭 측정값으로 구한 95% 구간",
    "chart.interval_low": "구간 시작",
    "chart.temperature": "노이즈 온도 η/B",
    "chart.s_min": "S_min {s_min:,.0f}",
    "chart.e_min": "E_min {e_min:,.0f}",
    "chart.interval_high": "끝",
    "chart.batch_log": "배치 크기(로그)",
    "chart.steps_to_target": "목표에 닿기까지의 업데이트 스텝(로그)",
    "chart.best_lr": "최적 학습률",
    "chart.perfect": "완벽한 스케일링(스텝 ∝ 1/B)",
    "chart.fit": "적합 S = S_min (1 + B_crit / B)",
    "chart.reached": "목표에 닿음",
    "chart.censored": "예산 안에 닿지 못함(적어도 이만큼)",
    "chart.b_crit": "B_crit {b_crit:,.0f}",
    "chart.steps_log": "업데이트 스텝 S(로그)",
    "chart.examples_log": "학습 예제 수 E = S·B(로그)",
    "chart.trade_off": "적합: (S/S_min − 1)(E/E_min − 1) = 1",
    # ------------------------------------------------------------------ Ray backend
    "ray.missing": "Ray가 설치되어 있지 않습니다: pip install -r requirements-ray.txt",
    "ray.no_answer": "{address}에서 응답하는 Ray 클러스터가 없습니다({error}). "
                     "클러스터를 시작하거나 BATCHLAB_RAY_ADDRESS를 고치세요.",
    "ray.local": "로컬 Ray 인스턴스",
    "ray.cluster": "{address}의 Ray 클러스터",
    "ray.timeout": "{seconds:g}초 안에 {where}에 연결하지 못했습니다.",
    "ray.start_failed": "{where}을(를) 시작하거나 연결하지 못했습니다: {reason}",
    "ray.closed": "Ray 실행기가 닫혔습니다.",
    "ray.actor": "Ray가 Batch Lab의 진행 상황 액터를 시작하지 못했습니다: {error}",
    "ray.lost": "Ray와 연결이 끊겼습니다({error}).",
    "ray.lost_job": "{why} 보고된 {epochs}에폭은 남겨 둡니다. 다시 학습하거나 로컬 작업 프로세스를 쓰세요.",
    "ray.forced_stop":
        "{seconds:g}초 안에 스스로 멈추지 않아 Ray가 종료했습니다. 보고된 {epochs}에폭은 남겨 둡니다.",
    "ray.cancelled_outside":
        "이 실행을 학습하던 Ray 워커가 Batch Lab 밖에서 취소되었습니다. 보고된 {epochs}에폭은 남겨 둡니다. "
        "다시 실행해 보세요.",
    "ray.worker_died":
        "이 실행을 학습하던 Ray 워커가 종료되었습니다. 보고된 {epochs}에폭은 남겨 둡니다. 다시 실행해 보세요.",
    "ray.node_lost":
        "이 실행을 학습하던 Ray 노드를 잃었습니다. 보고된 {epochs}에폭은 남겨 둡니다. 다시 실행해 보세요.",
    "ray.job_failed": "Ray가 이 작업을 실행하지 못했습니다({error}). 보고된 {epochs}에폭은 남겨 둡니다.",
    "ray.unknown_backend": "BATCHLAB_BACKEND={backend!r}은(는) 백엔드가 아닙니다. 'local' 또는 'ray'를 쓰세요.",
    "settings.grouping": "BATCHLAB_GROUPING={value!r}은(는) 선택지가 아닙니다. 'auto' 또는 'off'를 쓰세요.",
    # ------------------------------------------------------------------ run labels (core.sweep.run_label)
    "label.run": "배치 {batch} · 학습률 {lr:g}",
    "label.epochs": "{epochs}에폭",
    "label.seed": "시드 {seed}",
}
