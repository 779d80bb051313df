"""The strings of the menu, the home page, the Train page, the run panel and the shared controls."""

TEXT: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ menu
    "nav.home": {"en": "Home", "ko": "홈"},
    "nav.train": {"en": "Train", "ko": "학습"},
    "nav.sweep": {"en": "Sweep", "ko": "그리드 실험"},
    "nav.compare": {"en": "Compare", "ko": "비교"},
    "nav.calculator": {"en": "Scaling calculator", "ko": "학습률 스케일링 계산기"},
    "nav.range_test": {"en": "LR range test", "ko": "학습률 범위 테스트"},
    "nav.sharpness": {"en": "Sharpness", "ko": "날카로운 최소점"},
    "nav.critical_batch": {"en": "Critical batch size", "ko": "임계 배치 크기"},
    "nav.glossary": {"en": "Glossary", "ko": "용어집"},
    # ------------------------------------------------------------------ home
    "home.title": {"en": "Batch Lab 🧪", "ko": "Batch Lab 🧪"},
    "home.subtitle": {
        "en": "How batch size, learning rate and epochs shape training",
        "ko": "배치 크기, 학습률, 에폭이 학습을 어떻게 바꾸는지 직접 실험해 봅니다"},
    "home.intro": {
        "en": "Batch Lab trains small neural networks live, so that you can *see* what the three most talked-about "
              "hyperparameters do. It is made for students, for teachers running a classroom demo, and for "
              "practitioners checking an intuition before a large run.",
        "ko": "Batch Lab은 작은 신경망을 실시간으로 학습시켜, 가장 많이 이야기되는 세 하이퍼파라미터가 실제로 무엇을 "
              "하는지 *눈으로* 보게 해 줍니다. 학생, 수업에서 시연하는 교사, 큰 실험 전에 직관을 확인하려는 "
              "실무자를 위해 만들었습니다."},
    "home.words": {"en": "Four words", "ko": "네 가지 용어"},
    "home.epoch_batch": {
        "en": "**Epoch** — one full pass over the training data. With `epochs=10` every sample is seen ten "
              "times.\n\n**Batch** — the samples used together for one weight update. The batch size B says how "
              "many.",
        "ko": "**에폭(epoch)** — 학습 데이터 전체를 한 번 모두 학습하는 것. `epochs=10`이면 모든 샘플을 열 번 "
              "봅니다.\n\n**배치(batch)** — 한 번의 가중치 업데이트에 함께 쓰는 샘플 묶음. 배치 크기 B가 그 "
              "개수입니다."},
    "home.step_lr": {
        "en": "**Update step** — one gradient step on one batch. An epoch has ⌈N / B⌉ of them: 2,000 samples "
              "with batch 100 give **20 steps per epoch**; 320 samples with batch 32 give 10, so 10 epochs make "
              "100 updates.\n\n**Learning rate** — how far each step moves the weights. Too small and training "
              "crawls; too large and the loss jumps about or diverges.",
        "ko": "**스텝(update step)** — 배치 하나로 하는 경사 하강 한 번. 한 에폭에는 ⌈N / B⌉번 있습니다: "
              "샘플 2,000개를 배치 100으로 나누면 **에폭당 20스텝**, 320개를 배치 32로 나누면 10스텝이라 10에폭이면 "
              "100번 업데이트합니다.\n\n**학습률(learning rate)** — 한 스텝에 가중치를 얼마나 움직이는지. 너무 "
              "작으면 학습이 느리고, 너무 크면 손실이 요동치거나 발산합니다."},
    "home.calculator": {"en": "Steps per epoch calculator", "ko": "에폭당 스텝 계산기"},
    "home.n": {"en": "Training samples N", "ko": "학습 샘플 수 N"},
    "home.b": {"en": "Batch size B", "ko": "배치 크기 B"},
    "home.e": {"en": "Epochs E", "ko": "에폭 수 E"},
    "home.too_big": {
        "en": "A batch of {b} is larger than the {n} samples: each epoch would be a single update on all {n} "
              "samples. Choose a batch size of at most N.",
        "ko": "배치 {b}이(가) 샘플 {n}개보다 큽니다. 그러면 에폭마다 {n}개 전체로 한 번만 업데이트하게 됩니다. "
              "배치 크기는 N 이하로 정하세요."},
    "home.per_epoch": {"en": "Updates per epoch", "ko": "에폭당 업데이트"},
    "home.total": {"en": "Updates in total", "ko": "전체 업데이트"},
    "home.last_batch": {"en": "Last batch of each epoch", "ko": "각 에폭의 마지막 배치"},
    "home.samples": {"en": "{n} samples", "ko": "샘플 {n}개"},
    "home.partial": {
        "en": "{n} is not a multiple of {b}: the last batch is smaller ({last}) but still counts as an update.",
        "ko": "{n}은(는) {b}의 배수가 아니어서 마지막 배치가 더 작지만({last}개) 업데이트 한 번으로 셉니다."},
    "home.pages": {"en": "Pages", "ko": "페이지"},
    "home.page.train": {"en": "pick the settings, train live, stop any time",
                        "ko": "설정을 고르고 실시간으로 학습, 언제든 중지"},
    "home.page.sweep": {"en": "a grid of batch sizes × learning rates, or a seed post's experiment, side by side",
                        "ko": "배치 크기 × 학습률 그리드, 또는 블로그 글의 실험을 나란히"},
    "home.page.compare": {"en": "overlay stored runs against epochs, steps, samples or time; export and import",
                          "ko": "저장된 실행을 에폭·스텝·샘플·시간 축으로 겹쳐 보기, 내보내기와 가져오기"},
    "home.page.calculator": {"en": "the new learning rate for a new batch size — and a check by training",
                             "ko": "새 배치 크기에 맞는 학습률 계산과 학습으로 검증"},
    "home.page.range_test": {"en": "fastai's LR finder for several batch sizes",
                             "ko": "여러 배치 크기에서 fastai식 학습률 찾기"},
    "home.page.sharpness": {"en": "flat vs sharp minima: small against large batch",
                            "ko": "평평한 최소점과 날카로운 최소점: 작은 배치와 큰 배치"},
    "home.page.critical_batch": {"en": "the gradient noise scale and steps to a target",
                                 "ko": "그래디언트 노이즈 스케일과 목표까지의 스텝 수"},
    "home.page.glossary": {"en": "every term the app uses, in English and Korean",
                           "ko": "앱에서 쓰는 모든 용어, 영어와 한국어"},
    # ------------------------------------------------------------------ train page
    "train.title": {"en": "Train", "ko": "학습"},
    "train.intro": {
        "en": "Choose the dataset, model, optimizer, **batch size**, **learning rate** and **epochs** in the "
              "sidebar, press **Train**, and watch the training and validation loss move after every epoch. "
              "Training runs in a worker process: you may leave or reload this page, and the run goes on.",
        "ko": "사이드바에서 데이터셋, 모델, 옵티마이저, **배치 크기**, **학습률**, **에폭**을 고르고 **학습**을 "
              "누르면 에폭마다 학습 손실과 검증 손실이 움직이는 것을 볼 수 있습니다. 학습은 별도 작업 "
              "프로세스에서 진행되므로 페이지를 떠나거나 새로 고쳐도 계속됩니다."},
    "train.button": {"en": "Train", "ko": "학습"},
    "train.stop": {"en": "Stop", "ko": "중지"},
    "train.stop_help": {"en": "Ends the training within one batch and keeps what was trained.",
                        "ko": "한 배치 안에 학습을 멈추고, 그때까지 학습한 결과는 남깁니다."},
    "train.reused": {
        "en": "These exact settings were trained already, so their run is shown instead of training again.",
        "ko": "똑같은 설정이 이미 학습되어 있어 다시 학습하지 않고 그 결과를 보여 줍니다."},
    "train.link_gone": {
        "en": "The run in this link is not on the server any more (it was restarted). Press **Train** to train "
              "it again.",
        "ko": "링크의 실행이 서버에 더 이상 없습니다(서버가 다시 시작됨). **학습**을 눌러 다시 학습하세요."},
    "train.press": {"en": "Press **Train** to start. The default settings train in a few seconds on a CPU.",
                    "ko": "**학습**을 눌러 시작하세요. 기본 설정은 CPU에서 몇 초면 학습됩니다."},
    "train.changed": {
        "en": "Showing your last run; the settings have changed since. Press **Train** to train them.",
        "ko": "마지막 실행을 보여 주고 있습니다. 그 뒤로 설정이 바뀌었으니 **학습**을 눌러 학습하세요."},
    "train.steps": {
        "en": "{n_train} training samples ({n_val} held out) ÷ batch {batch} → **{per_epoch} updates per "
              "epoch**, {total} in {epochs} epochs.",
        "ko": "학습 샘플 {n_train}개(검증용 {n_val}개 제외) ÷ 배치 {batch} → **에폭당 {per_epoch}스텝**, "
              "{epochs}에폭 동안 {total}스텝."},
    # ------------------------------------------------------------------ controls
    "ctl.x_axis": {"en": "Curves against", "ko": "곡선의 가로축"},
    "ctl.x_axis_help": {
        "en": "At equal epochs a large batch makes far fewer updates: draw the curves against update steps or "
              "samples seen to compare batch sizes on equal footing.",
        "ko": "같은 에폭이면 큰 배치는 업데이트를 훨씬 적게 합니다: 배치 크기를 공정하게 비교하려면 곡선을 업데이트 "
              "스텝이나 본 샘플 수에 대해 그려 보세요."},
    "ctl.dataset": {"en": "Dataset", "ko": "데이터셋"},
    "ctl.dataset_help": {"en": "Offline datasets train at once; CIFAR-10 is downloaded on first use.",
                         "ko": "오프라인 데이터셋은 바로 학습됩니다. CIFAR-10은 처음 쓸 때 내려받습니다."},
    "ctl.model": {"en": "Model", "ko": "모델"},
    "ctl.model_help": {
        "en": "Linear: logistic regression for classes, least squares for regression. MLP: two hidden layers of 100 "
              "with ReLU. Small CNN: seed 000's Conv → ReLU → Pool, twice, then a dense layer. 1-D CNN: the MNIST-1D "
              "paper's three strided Conv1d layers with ReLU, then a dense layer.",
        "ko": "선형: 분류는 로지스틱 회귀, 회귀는 최소제곱. MLP: ReLU 은닉층 100개짜리 2층. 작은 CNN: 블로그 글 000의 "
              "Conv → ReLU → Pool 두 번 뒤 Dense 층. 1차원 CNN: MNIST-1D 논문의 stride 있는 Conv1d 3층(ReLU) 뒤 "
              "Dense 층."},
    "ctl.optimizer": {"en": "Optimizer", "ko": "옵티마이저"},
    "ctl.learning_rate": {"en": "Learning rate", "ko": "학습률"},
    "ctl.learning_rate_help": {
        "en": "How far each update step moves the weights. Too large and the loss diverges.",
        "ko": "스텝마다 가중치를 움직이는 크기. 너무 크면 손실이 발산합니다."},
    "ctl.batch_size": {"en": "Batch size", "ko": "배치 크기"},
    "ctl.batch_size_help": {"en": "Samples per update step. One epoch has ceil(N / batch size) update steps.",
                            "ko": "한 스텝에 쓰는 샘플 수. 한 에폭은 ceil(N / 배치 크기) 스텝입니다."},
    "ctl.epochs": {"en": "Epochs", "ko": "에폭"},
    "ctl.epochs_help": {"en": "Passes over the whole training set.", "ko": "학습 데이터 전체를 도는 횟수."},
    "ctl.more": {"en": "More settings", "ko": "추가 설정"},
    "ctl.momentum": {"en": "Momentum", "ko": "모멘텀"},
    "ctl.momentum_help": {"en": "Used by 'SGD with momentum' only.", "ko": "'모멘텀 SGD'에서만 씁니다."},
    "ctl.beta1": {"en": "Adam β₁", "ko": "Adam β₁"},
    "ctl.beta2": {"en": "Adam β₂", "ko": "Adam β₂"},
    "ctl.eps": {"en": "Adam ε", "ko": "Adam ε"},
    "ctl.betas_help": {"en": "Used by Adam and AdamW only. Malladi et al.'s square-root rule for a batch κ times "
                             "larger also changes these (the Calculator gives the numbers).",
                       "ko": "Adam과 AdamW에서만 씁니다. 배치를 κ배 키울 때 Malladi 등의 제곱근 규칙은 이 값들도 "
                             "바꿉니다(계산기가 값을 알려 줍니다)."},
    "ctl.schedule": {"en": "LR schedule", "ko": "학습률 스케줄"},
    "ctl.schedule_help": {"en": "What the learning rate does after the warm-up: stays, falls along a cosine to 0 by "
                                "the last step, or is multiplied by the decay factor every few epochs.",
                          "ko": "워밍업이 끝난 뒤 학습률이 어떻게 되는지: 그대로, 마지막 스텝까지 코사인을 따라 0으로, "
                                "또는 몇 에폭마다 감쇠 배율만큼 곱해짐."},
    "ctl.warmup_epochs": {"en": "Warm-up epochs (0 = none)", "ko": "워밍업 에폭 (0 = 없음)"},
    "ctl.warmup_epochs_help": {"en": "The LR climbs linearly to the learning rate over this many epochs (a fraction "
                                     "is fine), as in Goyal et al.'s gradual warm-up.",
                               "ko": "이 에폭 수 동안 학습률이 선형으로 올라갑니다(소수도 됩니다). Goyal 등의 점진적 "
                                     "워밍업과 같습니다."},
    "ctl.warmup_start": {"en": "Warm-up starts at (× LR)", "ko": "워밍업 시작값 (× 학습률)"},
    "ctl.warmup_start_help": {"en": "The first step's LR as a share of the learning rate. Goyal et al. start at the "
                                    "old LR: 1/k for a batch k times larger.",
                              "ko": "첫 스텝의 학습률을 학습률에 대한 비율로. Goyal 등은 원래 학습률에서 시작합니다: "
                                    "배치가 k배면 1/k."},
    "ctl.decay_every": {"en": "Decay every (epochs)", "ko": "감쇠 간격 (에폭)"},
    "ctl.decay_factor": {"en": "Decay factor", "ko": "감쇠 배율"},
    "ctl.weight_decay": {"en": "Weight decay", "ko": "가중치 감쇠"},
    "ctl.val_fraction": {"en": "Validation share", "ko": "검증 비율"},
    "ctl.val_fraction_help": {"en": "Part of the training data held out to measure generalization.",
                              "ko": "일반화를 재기 위해 학습 데이터에서 떼어 두는 비율."},
    "ctl.seed": {"en": "Seed", "ko": "시드"},
    "ctl.seed_help": {"en": "Fixes the initial weights and the batch order: same seed, same run.",
                      "ko": "초기 가중치와 배치 순서를 고정합니다. 시드가 같으면 결과도 같습니다."},
    "ctl.device": {"en": "Device", "ko": "장치"},
    "ctl.device_help": {"en": "'auto' picks a GPU (cuda, then mps) when there is one, else the CPU.",
                        "ko": "'auto'는 GPU(cuda, 그다음 mps)가 있으면 쓰고 없으면 CPU를 씁니다."},
    "ctl.max_samples": {"en": "Sample cap (0 = all)", "ko": "샘플 상한 (0 = 전체)"},
    "ctl.max_samples_help": {"en": "Use at most this many training samples, for quicker runs.",
                             "ko": "더 빠른 실험을 위해 학습 샘플을 이 개수까지만 씁니다."},
    "ctl.classes": {"en": "Classes", "ko": "클래스"},
    "ctl.classes_help": {"en": "Seed 000 trained on a few CIFAR-10 classes only.",
                         "ko": "블로그 글 000은 CIFAR-10의 일부 클래스만으로 학습했습니다."},
    "ctl.early_stopping": {"en": "Early stopping", "ko": "조기 종료"},
    "ctl.early_stopping_help": {
        "en": "Stop when the validation loss has not improved for 'patience' epochs, as Keras' "
              "EarlyStopping(monitor='val_loss') does.",
        "ko": "검증 손실이 'patience' 에폭 동안 나아지지 않으면 멈춥니다. Keras의 "
              "EarlyStopping(monitor='val_loss')과 같습니다."},
    "ctl.patience": {"en": "Patience (epochs)", "ko": "인내 에폭 수 (patience)"},
    "ctl.min_delta": {"en": "Min delta", "ko": "최소 개선폭 (min delta)"},
    "ctl.restore_best": {"en": "Restore best weights", "ko": "가장 좋은 가중치로 복원"},
    # ------------------------------------------------------------------ run view
    "run.queued": {"en": "Queued: number {position} in line for a free worker.",
                   "ko": "대기 중: 빈 작업 프로세스를 기다리는 {position}번째."},
    "run.starting": {"en": "Starting: loading the data and building the model…",
                     "ko": "시작 중: 데이터를 불러오고 모델을 만드는 중…"},
    "run.progress": {"en": "Epoch {done} of {epochs} · {elapsed} s so far, about {left} s left",
                     "ko": "에폭 {done}/{epochs} · 지금까지 {elapsed}초, 약 {left}초 남음"},
    "run.ended": {"en": "{status} after {done} of {epochs} epochs", "ko": "{status} · {epochs}에폭 중 {done}에폭"},
    "run.tab_loss": {"en": "Loss", "ko": "손실"},
    "run.tab_acc": {"en": "Accuracy", "ko": "정확도"},
    "run.tab_steps": {"en": "Every step", "ko": "스텝별"},
    "run.no_accuracy": {"en": "Regression has no accuracy: its loss is the mean squared error.",
                        "ko": "회귀에는 정확도가 없습니다. 손실이 평균제곱오차입니다."},
    "run.steps_caption": {
        "en": "Small batches give noisy per-step losses; the red line is a 20-step moving average.",
        "ko": "작은 배치는 스텝별 손실이 많이 흔들립니다. 빨간 선은 20스텝 이동 평균입니다."},
    "run.diverged": {
        "en": "**Diverged.** {message} The learning rate is too large for this batch size; the history up to "
              "that point is kept.",
        "ko": "**발산했습니다.** {message} 이 배치 크기에 비해 학습률이 너무 큽니다. 그때까지의 기록은 "
              "남겨 둡니다."},
    "run.unstable": {
        "en": "**Unstable.** {message} The run stayed finite but did not train steadily; its history is kept. Try "
              "a smaller learning rate.",
        "ko": "**불안정합니다.** {message} 손실이 유한하게 남았지만 안정적으로 학습하지 못했습니다. 기록은 남겨 "
              "둡니다. 학습률을 줄여 보세요."},
    "run.stopped_partial": {
        "en": "Stopped by request during epoch {epoch}, after {steps} of its {per_epoch} update steps ({done} whole "
              "epochs before it); what was trained is kept below.",
        "ko": "요청에 따라 에폭 {epoch} 도중, {per_epoch}스텝 중 {steps}스텝 뒤에 중지했습니다"
              "(그 전에 완료한 에폭 {done}개). 학습한 결과는 아래에 남아 있습니다."},
    "run.ended_partial": {"en": "{status} during epoch {epoch} of {epochs}",
                          "ko": "{status} · {epochs}에폭 중 에폭 {epoch} 도중"},
    "run.stopped": {"en": "Stopped by request after {done} epochs; what was trained is kept below.",
                    "ko": "요청에 따라 {done}에폭 후 중지했습니다. 학습한 결과는 아래에 남아 있습니다."},
    "run.failed": {"en": "Training failed: {message}", "ko": "학습 실패: {message}"},
    "next.1_train": {"en": "Next: train a grid of batch sizes × learning rates side by side (Sweep)",
                     "ko": "다음: 배치 크기 × 학습률 그리드를 나란히 학습해 보기 (그리드 실험)"},
    "next.2_sweep": {"en": "Next: overlay any stored runs against epochs, steps, samples or time (Compare)",
                     "ko": "다음: 저장된 실행을 에폭·스텝·샘플·시간 축으로 겹쳐 보기 (비교)"},
    "next.3_compare": {"en": "Next: what learning rate to use at a new batch size (Scaling calculator)",
                       "ko": "다음: 새 배치 크기에 맞는 학습률 구하기 (학습률 스케일링 계산기)"},
    "next.4_calculator": {"en": "Next: find the usable learning rates for each batch size (LR range test)",
                          "ko": "다음: 배치 크기마다 쓸 만한 학습률 범위 찾기 (학습률 범위 테스트)"},
    "next.5_lr_range_test": {"en": "Next: how large a batch still pays off (Critical batch size)",
                             "ko": "다음: 배치를 어디까지 키워야 이득인지 (임계 배치 크기)"},
    "next.7_critical_batch": {"en": "Next: do large batches end in sharper minima? (Sharpness)",
                              "ko": "다음: 큰 배치는 더 날카로운 최소점에 닿을까? (날카로운 최소점)"},
    "next.6_sharpness": {"en": "Next: every term these pages use (Glossary)",
                         "ko": "다음: 이 앱에서 쓰는 용어 (용어집)"},
    "next.8_glossary": {"en": "Back to the start (Home)", "ko": "처음으로 (홈)"},
    "home.start": {"en": "Start here", "ko": "여기서 시작하세요"},
    "home.student": {"en": "**A student**: train one setting and watch the curves, then seed 001's experiment: "
                           "what a smaller batch changes.",
                     "ko": "**학생**: 설정 하나를 학습하며 곡선을 보고, 블로그 글 001의 실험으로 작은 배치가 무엇을 "
                           "바꾸는지 확인하세요."},
    "home.student_train": {"en": "Train one run", "ko": "실행 하나 학습하기"},
    "home.student_preset": {"en": "Seed 001: batch 16 vs 128", "ko": "블로그 글 001: 배치 16과 128"},
    "home.teacher": {"en": "**A teacher**: the seed posts' experiments in a teaching order, each opening with its "
                           "runs already trained. Share a page's link or QR code with the class from its page.",
                     "ko": "**교사**: 블로그 글의 실험을 수업 순서대로. 모두 미리 학습된 실행과 함께 열립니다. "
                           "각 페이지에서 링크나 QR 코드로 수업에 공유하세요."},
    "home.practitioner": {"en": "**A practitioner**: new batch size, which learning rate? Scale it, check the range, "
                                "then see how far a larger batch pays off.",
                          "ko": "**실무자**: 배치 크기를 바꾸면 학습률은? 스케일링하고, 범위를 확인하고, "
                                "큰 배치가 어디까지 이득인지 보세요."},
    "share.title": {"en": "Share these settings with the class", "ko": "이 설정을 수업에 공유하기"},
    "share.copy": {"en": "This link opens the page with the settings it shows now, in either language. Copy it "
                         "with the button at the right of the box, or let the class scan the code.",
                   "ko": "이 링크는 지금 보이는 설정 그대로 이 페이지를 엽니다(언어와 상관없이). 상자 오른쪽 버튼으로 "
                         "복사하거나, 학생들이 코드를 스캔하게 하세요."},
    "share.qr": {"en": "Scan to open these settings", "ko": "스캔하면 이 설정으로 열립니다"},
    "group.progress": {"en": "{done} of {total} runs done · {running} running, {queued} queued{left}",
                       "ko": "실행 {total}개 중 {done}개 완료 · {running}개 실행 중, {queued}개 대기 중{left}"},
    "group.batch": {"en": "batch {batch}", "ko": "배치 {batch}"},
    "group.left": {"en": ", about {seconds} s left", "ko": ", 약 {seconds}초 남음"},
    "group.failed": {"en": "{name} failed: {message}", "ko": "{name} 실패: {message}"},
    "run.running_for": {"en": "Running for {seconds} s.", "ko": "{seconds}초째 실행 중."},
    "sum.status": {"en": "Status", "ko": "상태"},
    "sum.best_val_acc": {"en": "Best val accuracy", "ko": "최고 검증 정확도"},
    "sum.best_val_acc_help": {"en": "Validation accuracy at the epoch with the lowest validation loss.",
                              "ko": "검증 손실이 가장 낮은 에폭의 검증 정확도."},
    "sum.best_val_loss": {"en": "Best val loss (MSE)", "ko": "최저 검증 손실 (MSE)"},
    "sum.epochs": {"en": "Epochs", "ko": "에폭"},
    "sum.epochs_help": {"en": "Whole epochs run, of the epochs asked for.", "ko": "요청한 에폭 중 끝까지 돈 에폭 수."},
    "sum.device_unknown": {"en": "unknown", "ko": "알 수 없음"},
    "sum.device_grouped": {"en": "{device} · grouped ×{k}", "ko": "{device} · 묶음 ×{k}"},
    "sum.device_grouped_help": {
        "en": "Trained together with {others} other runs of the same data, model, batch size and epochs as one "
              "vectorised model (faster for small batches). Its history is a valid training of its settings; it "
              "can differ from training it alone in the last digits, and at a high learning rate more.",
        "ko": "같은 데이터·모델·배치 크기·에폭의 다른 실행 {others}개와 하나의 벡터화된 모델로 함께 "
              "학습했습니다(작은 배치에서 더 빠름). 이 기록은 이 설정의 올바른 학습이지만, 혼자 "
              "학습할 때와 끝자리에서 다를 수 있고, 학습률이 높으면 더 다를 수 있습니다.",
    },
    "sum.updates": {"en": "Update steps", "ko": "업데이트 스텝"},
    "sum.wall_time": {"en": "Wall time", "ko": "소요 시간"},
    "sum.samples_per_s": {"en": "Samples / s", "ko": "초당 샘플"},
    "sum.device": {"en": "Device", "ko": "장치"},
    "sum.test_acc": {"en": "Test accuracy", "ko": "테스트 정확도"},
    "sum.test_loss": {"en": "Test loss (MSE)", "ko": "테스트 손실 (MSE)"},
    # ------------------------------------------------------------------ names (pages/ui/names.py)
    "name.model.linear": {"en": "Linear", "ko": "선형"},
    "name.model.mlp": {"en": "MLP (2 × 100)", "ko": "MLP (2 × 100)"},
    "name.model.cnn": {"en": "Small CNN (seed 000's)", "ko": "작은 CNN (블로그 글 000)"},
    "name.model.cnn1d": {"en": "1-D CNN (MNIST-1D paper)", "ko": "1차원 CNN (MNIST-1D 논문)"},
    "name.optimizer.sgd": {"en": "SGD", "ko": "SGD"},
    "name.optimizer.momentum": {"en": "SGD with momentum", "ko": "모멘텀 SGD"},
    "name.optimizer.adam": {"en": "Adam", "ko": "Adam"},
    "name.optimizer.adamw": {"en": "AdamW", "ko": "AdamW"},
    "name.schedule.constant": {"en": "Constant", "ko": "일정"},
    "name.schedule.cosine": {"en": "Cosine decay", "ko": "코사인 감쇠"},
    "name.schedule.step": {"en": "Step decay", "ko": "계단식 감쇠"},
    "name.cifar10.airplane": {"en": "airplane", "ko": "비행기"},
    "name.cifar10.automobile": {"en": "automobile", "ko": "자동차"},
    "name.cifar10.bird": {"en": "bird", "ko": "새"},
    "name.cifar10.cat": {"en": "cat", "ko": "고양이"},
    "name.cifar10.deer": {"en": "deer", "ko": "사슴"},
    "name.cifar10.dog": {"en": "dog", "ko": "개"},
    "name.cifar10.frog": {"en": "frog", "ko": "개구리"},
    "name.cifar10.horse": {"en": "horse", "ko": "말"},
    "name.cifar10.ship": {"en": "ship", "ko": "배"},
    "name.cifar10.truck": {"en": "truck", "ko": "트럭"},
    # ------------------------------------------------------------------ links
    "link.rejected": {
        "en": "Some values in this link do not fit this page and were not used as written: {names}.",
        "ko": "이 링크의 일부 값이 이 페이지에 맞지 않아 그대로 쓰지 않았습니다: {names}."},
    "link.unknown": {"en": "{name} (not a setting of this page)", "ko": "{name} (이 페이지의 설정이 아님)"},
    # ------------------------------------------------------------------ shared resources
    "res.opening_store": {"en": "Opening the run store…", "ko": "실행 저장소를 여는 중…"},
    "res.starting_workers": {"en": "Starting the training workers…", "ko": "학습 작업 프로세스를 시작하는 중…"},
    "res.not_saved": {"en": "Runs are not being saved: {problem}", "ko": "실행이 저장되지 않습니다: {problem}"},
    "res.local_instead": {
        "en": "{problem} Training runs on this server's own worker processes instead.",
        "ko": "{problem} 대신 이 서버의 작업 프로세스에서 학습합니다."},
    # ------------------------------------------------------------------ glossary page
    "glossary.title": {"en": "Glossary", "ko": "용어집"},
    "glossary.intro": {"en": "The terms this app uses, in English and in Korean.",
                       "ko": "이 앱에서 쓰는 용어를 영어와 한국어로 정리했습니다."},
    "glossary.term": {"en": "Term", "ko": "용어"},
    "glossary.meaning": {"en": "Meaning", "ko": "뜻"},
    # ------------------------------------------------------------------ a claim's verdict (pages/ui/findings.py)
    "finding.verdict_held": {"en": "Showed up here", "ko": "여기서도 나타남"},
    "finding.verdict_not_held": {"en": "Did not show up on this data", "ko": "이 데이터에서는 나타나지 않음"},
    "finding.verdict_open": {"en": "Not decided by these runs", "ko": "이 실행들로는 판단할 수 없음"},
    "finding.verdict_undecided": {"en": "Undecided", "ko": "판단 보류"},
    "finding.why": {"en": "Decided because {why}.", "ko": "판단 근거: {why}."},
    "finding.line": {"en": "{icon} **{verdict}:** {claim}  \n*Measured:* {evidence}",
                     "ko": "{icon} **{verdict}:** {claim}  \n*측정값:* {evidence}"},
}
