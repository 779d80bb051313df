"""The strings of the range_test page, and the Korean of core.lr_finder's messages."""

TEXT: dict[str, dict[str, str]] = {
    "range.title": {"en": "LR range test", "ko": "학습률 범위 테스트"},
    "range.intro": {
        "en": "Which learning rates are worth trying? Train for about 100 batches while the learning rate grows "
              "exponentially (1e-7 → 10 by default), and watch the smoothed loss: flat where the LR is too small, "
              "falling where it is useful, exploding where it is too large. The test stops once the loss passes 4× "
              "its minimum and puts the weights back. Run it for several batch sizes to see the best LR move with "
              "the batch.",
        "ko": "어떤 학습률을 시도해 볼 만할까요? 학습률을 지수적으로 키우면서(기본값 1e-7 → 10) 약 100개 배치를 "
              "학습하고, 평활화한 손실을 살펴보세요. 학습률이 너무 작으면 손실이 평평하고, 쓸 만하면 내려가며, "
              "너무 크면 폭발합니다. 손실이 최솟값의 4배를 넘으면 테스트를 멈추고 가중치를 원래대로 되돌립니다. "
              "여러 배치 크기로 실행해 가장 좋은 학습률이 배치 크기에 따라 어떻게 움직이는지 확인하세요."},
    "range.start_lr": {"en": "Start LR", "ko": "시작 학습률"},
    "range.start_lr_help": {"en": "The learning rate of the first batch.", "ko": "첫 배치의 학습률."},
    "range.end_lr": {"en": "End LR", "ko": "끝 학습률"},
    "range.end_lr_help": {"en": "The learning rate of the last batch, if the loss has not exploded before.",
                          "ko": "그 전에 손실이 폭발하지 않았다면 마지막 배치의 학습률."},
    "range.num_it": {"en": "Batches", "ko": "배치 수"},
    "range.num_it_help": {"en": "How many batches (update steps) the learning rate takes to grow from start to end.",
                          "ko": "학습률이 시작 값에서 끝 값까지 커지는 동안 학습하는 배치(업데이트 스텝) 수."},
    "range.batch_sizes": {"en": "Batch sizes", "ko": "배치 크기"},
    "range.batch_sizes_help": {"en": "One range test per batch size, overlaid on one chart.",
                               "ko": "배치 크기마다 범위 테스트를 하나씩 실행해 한 차트에 겹쳐 그립니다."},
    "range.pick_batch": {"en": "Pick at least one batch size.", "ko": "배치 크기를 하나 이상 고르세요."},
    "range.run": {"en": "Run range tests", "ko": "범위 테스트 실행"},
    "range.col_test": {"en": "range test", "ko": "범위 테스트"},
    "range.col_batches": {"en": "batches run", "ko": "학습한 배치 수"},
    "range.col_stopped": {"en": "stopped at 4× the minimum", "ko": "최솟값의 4배에서 멈춤"},
    "range.col_at_edge": {"en": "at the edge", "ko": "범위 끝"},
    "range.col_at_edge_help": {"en": "Suggestions found at an end of the analysed learning rates: bounds, not answers.",
                               "ko": "분석한 학습률 범위의 끝에서 나온 추천값: 답이 아니라 한계입니다."},
    "range.at_edge": {"en": "**{test}**: {names} sit at an end of the learning rates analysed, so the curve may go "
                            "on falling beyond them. Widen the range (start or end LR) to find where it turns.",
                      "ko": "**{test}**: {names}이(가) 분석한 학습률 범위의 끝에 있어, 곡선이 그 너머에서도 "
                            "계속 내려갈 수 있습니다. 범위(시작 또는 끝 학습률)를 넓혀 곡선이 꺾이는 곳을 찾으세요."},
    "range.col_suggestion_help": {"en": "A suggested learning rate (see below).",
                                  "ko": "추천 학습률 (아래 설명 참고)."},
    "range.suggestions": {
        "en": "- **valley**: fastai's default, half-way down the longest falling stretch of the curve.\n"
              "- **steepest descent**: where the loss falls fastest per decade of learning rate.\n"
              "- **minimum / 10**: a tenth of the learning rate at the lowest loss (there it is already nearly too "
              "large).\n\n"
              "They are starting points, not answers: the smoothing lags the curve (the faint lines are the raw "
              "losses), and the suggestions move between seeds. Try them on the Train page.",
        "ko": "- **골짜기(valley)**: fastai의 기본값으로, 곡선에서 가장 길게 내려가는 구간의 중간 지점.\n"
              "- **가장 가파른 하강**: 학습률 한 자릿수(10배)당 손실이 가장 빠르게 줄어드는 지점.\n"
              "- **최소점 / 10**: 손실이 가장 낮은 학습률의 10분의 1(그 학습률은 이미 너무 큰 쪽에 가깝습니다).\n\n"
              "이 값들은 답이 아니라 출발점입니다. 평활화는 곡선보다 늦게 따라가고(흐린 선이 평활화 전 손실), "
              "추천값은 시드마다 달라집니다. 학습 페이지에서 직접 시도해 보세요."},
}

CORE: dict[str, str] = {  # core/lr_finder.py
    "lr_finder.start_not_positive": "시작 학습률은 0보다 큰 숫자여야 합니다. 입력된 값: {start_lr}.",
    "lr_finder.bad_range": "시작 학습률({start_lr:g})은 끝 학습률({end_lr:g})보다 작아야 합니다.",
    "lr_finder.bad_num_it": "num_it은 1 이상이어야 합니다. 입력된 값: {num_it}.",
}
