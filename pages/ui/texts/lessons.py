"""The strings of the Lessons page, and the Korean of core.classroom's messages (and of the lesson charts')."""

TEXT: dict[str, dict[str, str]] = {
    "nav.lessons": {"en": "Lessons", "ko": "수업"},
    "next.9_lessons": {
        "en": "Next: run any grid of your own, or a seed post's preset (Sweep)",
        "ko": "다음: 직접 고른 그리드나 블로그 글의 프리셋을 실행해 보기 (그리드 실험)"},
    "home.page.lessons": {
        "en": "seven guided lessons: predict, run, see the result over your prediction",
        "ko": "안내가 있는 수업 일곱 개: 예측하고, 실행하고, 예측 위에 그려진 결과 보기"},
    "lessons.title": {"en": "Lessons", "ko": "수업"},
    "lessons.intro": {
        "en": "Seven short lessons on batch size, learning rate and epochs. Each one asks a question, and you predict "
              "the answer before you run it: predicting first makes you look at the result more carefully, even when "
              "the guess is wrong. The runs are the seed posts' experiments, shipped with the app (or trained here in "
              "seconds); the result is drawn over your prediction, and an honesty box says what these runs could and "
              "could not show.",
        "ko": "배치 크기, 학습률, 에폭에 관한 짧은 수업 일곱 개입니다. 수업마다 질문이 하나 있고, 실행하기 전에 먼저 "
              "답을 예측합니다. 먼저 예측하면, 예측이 틀렸더라도 결과를 더 주의 깊게 보게 됩니다. 실행하는 것은 "
              "블로그 글들의 실험으로, 앱에 들어 있는 실행을 바로 보여 주거나 여기서 몇 초 만에 학습합니다. 결과는 "
              "여러분의 예측 위에 그려지고, '정직 상자'가 이 실행들로 보여 줄 수 있었던 것과 없었던 것을 알려 줍니다."},
    "lessons.pick": {"en": "Lesson", "ko": "수업"},
    "lessons.numbered": {"en": "{id} · {title}", "ko": "{id} · {title}"},
    "lessons.progress": {"en": "Your lessons", "ko": "내 수업"},
    "lessons.progress_done": {"en": "✅ {id} · {title}", "ko": "✅ {id} · {title}"},
    "lessons.progress_predicted": {"en": "✏️ {id} · {title}", "ko": "✏️ {id} · {title}"},
    "lessons.progress_open": {"en": "▫️ {id} · {title}", "ko": "▫️ {id} · {title}"},
    "lessons.progress_help": {
        "en": "✅ run and seen · ✏️ predicted · ▫️ not started; skip around as you like.",
        "ko": "✅ 실행해서 결과를 봄 · ✏️ 예측함 · ▫️ 아직 시작 안 함. 순서는 자유롭게 골라도 됩니다."},
    "lessons.question": {"en": "The question", "ko": "질문"},
    "lessons.predict": {"en": "Your prediction", "ko": "내 예측"},
    "lessons.predict_caption": {
        "en": "Answer before you look — a few seconds is enough. Run unlocks once every question has an answer.",
        "ko": "결과를 보기 전에 답해 보세요. 몇 초면 충분합니다. 모든 질문에 답하면 실행 버튼이 열립니다."},
    "lessons.none_box": {"en": "None of them", "ko": "하나도 없음"},
    "lessons.both": {
        "en": "You ticked settings and “None of them”: keep one or the other.",
        "ko": "설정과 '하나도 없음'을 함께 골랐습니다. 둘 중 하나만 남겨 주세요."},
    "lessons.epoch_marker": {"en": "Epoch", "ko": "에폭"},
    "lessons.epoch_lock": {"en": "This is my prediction", "ko": "이것이 내 예측입니다"},
    "lessons.run": {"en": "Run", "ko": "실행"},
    "lessons.run_help": {
        "en": "Make your prediction first: Run unlocks when every question has an answer.",
        "ko": "먼저 예측하세요. 모든 질문에 답하면 실행 버튼이 열립니다."},
    "lessons.shipped": {
        "en": "Every run of this lesson ships with the app: Run shows them at once.",
        "ko": "이 수업의 실행은 모두 앱에 들어 있습니다. 실행을 누르면 바로 보여 줍니다."},
    "lessons.live": {
        "en": "{live} of this lesson's {runs} runs train here when you press Run (the first time on this server; "
              "after that they are answered at once).",
        "ko": "이 수업의 실행 {runs}개 중 {live}개는 실행을 누르면 여기서 학습합니다(이 서버에서 처음 한 번만, "
              "그다음부터는 바로 답합니다)."},
    "lessons.locked": {
        "en": "Your prediction is locked in: the result below is compared with it.",
        "ko": "예측이 확정되었습니다. 아래 결과를 이 예측과 비교합니다."},
    "lessons.again": {"en": "Start this lesson again", "ko": "이 수업 다시 하기"},
    "lessons.room_sends": {
        "en": "Room {code} is doing this lesson: Run sends your prediction to the class board, and the result "
              "shows here when your teacher reveals it.",
        "ko": "방 {code}에서 이 수업을 하고 있습니다. 실행을 누르면 내 예측이 교실 보드로 가고, 결과는 교사가 "
              "공개할 때 여기에 나타납니다."},
    "lessons.room_revealed": {
        "en": "Your teacher has revealed this lesson's result in room {code}.",
        "ko": "교사가 방 {code}에서 이 수업의 결과를 공개했습니다."},
    "lessons.room_waiting": {
        "en": "Your prediction is on room {code}'s board. Waiting for the teacher to reveal the result…",
        "ko": "내 예측이 방 {code}의 보드에 올라갔습니다. 교사가 결과를 공개하기를 기다리는 중입니다…"},
    "lessons.room_cleared": {
        "en": "Your teacher cleared room {code}'s board: make your prediction again.",
        "ko": "교사가 방 {code}의 보드를 비웠습니다. 다시 예측하세요."},
    "lessons.waiting": {
        "en": "Training this lesson's runs; the result appears when the last one has finished.",
        "ko": "이 수업의 실행을 학습하는 중입니다. 마지막 실행이 끝나면 결과가 나타납니다."},
    "lessons.gone": {
        "en": "Some of this lesson's runs are no longer on the server. Start the lesson again to run them anew.",
        "ko": "이 수업의 실행 중 일부가 서버에 더 이상 없습니다. 수업을 다시 시작해서 새로 실행하세요."},
    "lessons.result": {"en": "The result", "ko": "결과"},
    "lessons.measured": {"en": "What the runs measured", "ko": "실행으로 잰 것"},
    "lessons.verdicts": {"en": "The verdicts, decided over the seeds", "ko": "시드 전체로 내린 판정"},
    "lessons.why": {"en": "Why?", "ko": "왜 그럴까요?"},
    "lessons.explanation": {"en": "The explanation", "ko": "설명"},
    "lessons.honesty": {
        "en": "Honesty box: what these runs can and cannot say",
        "ko": "정직 상자: 이 실행들로 말할 수 있는 것과 없는 것"},
    "lessons.honesty_showed": {
        "en": "**The effect showed on this data.**",
        "ko": "**이 데이터에서 효과가 나타났습니다.**"},
    "lessons.honesty_not_shown": {
        "en": "**The effect did not show on this data.**",
        "ko": "**이 데이터에서는 효과가 나타나지 않았습니다.**"},
    "lessons.honesty_undecided": {
        "en": "**These runs do not decide it.**",
        "ko": "**이 실행들로는 판단할 수 없습니다.**"},
    "lessons.explore_l1": {
        "en": "Explore: seed 001's preset on the Sweep page",
        "ko": "더 해 보기: 그리드 실험 페이지의 블로그 글 001 프리셋"},
    "lessons.explore_l2": {
        "en": "Explore: where this model's loss blows up (LR range test)",
        "ko": "더 해 보기: 이 모델의 손실이 폭발하는 지점 (학습률 범위 테스트)"},
    "lessons.explore_l3": {
        "en": "Explore: seed 002's scaling pairs on the Sweep page",
        "ko": "더 해 보기: 그리드 실험 페이지의 블로그 글 002 스케일링 쌍"},
    "lessons.explore_l4": {
        "en": "Explore: the rules for 16 → 512 in the Scaling calculator",
        "ko": "더 해 보기: 학습률 스케일링 계산기에서 16 → 512 규칙"},
    "lessons.explore_l5": {
        "en": "Explore: measure the bend step by step (Critical batch size)",
        "ko": "더 해 보기: 꺾임을 스텝 단위로 재기 (임계 배치 크기)"},
    "lessons.explore_l6": {
        "en": "Explore: this lesson's sharpness runs on the Sharpness page",
        "ko": "더 해 보기: 날카로운 최소점 페이지에서 이 수업의 날카로움 실행"},
    "lessons.explore_l7": {
        "en": "Explore: train this run with early stopping (Train)",
        "ko": "더 해 보기: 이 실행을 조기 종료와 함께 학습하기 (학습)"},
}

CORE: dict[str, str] = {
    "chart.your_prediction": "내 예측",
    "chart.failed_share": "발산하거나 불안정해진 시드",
    "chart.failed_of": "{seeds}개 중 {failed}개 실패",
    "lesson.none_of_them": "하나도 없음",
    "lesson.epoch": "{epoch}에폭",
    "lesson.and": "{first}, {rest}",
    "lesson.compare_open": "예측: {predicted}. 이 실행들로는 판단할 수 없습니다: {shows}.",
    "lesson.compare_matched": "예측: {predicted}. 실행 결과: {shows}.",
    "lesson.compare_missed": "예측: {predicted}. 실행 결과: {shows}.",
    "lesson.compare_inside": "예측: {predicted}. 실행 결과: {shows}. 여러분의 예측은 시드 간 편차 안에 있어 맞다 "
        "틀리다 할 수 없습니다.",
    "lesson.missing": "이 수업에 필요한 실행이 아직 다 끝나지 않았습니다.",
    "lesson.undecided": "이 실행들로는 판단할 수 없습니다: {why}.",
    "lesson.because": "{answer} ({why})",
    "lesson.one_value": "{value:,}",
    "lesson.range": "{low:,}–{high:,}",
    "lesson.arm": "배치 {batch}, 학습률 {lr:g}",
    "lesson.arm_rule": "배치 {batch}, 학습률 {lr:.3g} ({rule})",
    "lesson.outcome_held": "성립",
    "lesson.outcome_not_held": "성립하지 않음",
    "lesson.outcome_undecided": "판단 보류",
    "lesson.outcome_missing": "아직 판단 전",
    "lesson.close_held": "모든 시드가 허용 범위 안",
    "lesson.close_not_held": "모든 시드가 범위 밖",
    "lesson.close_undecided": "시드 간 편차 안이라 안인지 밖인지 가릴 수 없음",
    "lesson.close_missing": "측정하지 않음",
    "lesson.l1_title": "에폭당 업데이트",
    "lesson.l1_question": "블로그 글 001은 SGD(학습률 0.1)로 y = 3x + 노이즈에 직선을 맞춥니다. 5에폭이 지났을 때 "
        "학습 손실이 더 낮은 배치 크기는 16일까요, 128일까요?",
    "lesson.l1_q_lower": "5에폭 뒤 학습 손실이 더 낮은 쪽은…",
    "lesson.l1_q_updates": "그 5에폭 동안 배치 16은 배치 128에 비해 업데이트 스텝을 몇 번 할까요?",
    "lesson.l1_b16": "배치 16",
    "lesson.l1_b128": "배치 128",
    "lesson.l1_more": "배치 16이 더 많이 함",
    "lesson.l1_same": "비슷하게 함",
    "lesson.l1_fewer": "배치 16이 더 적게 함",
    "lesson.l1_setup": "블로그 글 001 프리셋: 선형 회귀, SGD, 학습률 0.1, (에폭, 배치) = (5, 16), (5, 128), (20, 16), "
        "(20, 128), 각각 시드 3개 — 앱에 들어 있는 실행 {runs}개.",
    "lesson.l1_why": "같은 5에폭인데 왜 한 배치 크기가 뒤처질까요? 설명을 열기 전에 각 배치 크기가 한 에폭에 무엇을 "
        "하는지 세어 보세요.",
    "lesson.l1_explain": "에폭은 학습 데이터 {n:,}개를 한 번 다 도는 것이고, 이를 배치로 나눕니다. 배치 하나가 가중치 "
        "업데이트 한 번입니다. 배치 16은 한 바퀴를 {small}개 배치로, 배치 128은 {large}개로 나누므로 "
        "같은 5에폭 동안 배치 16이 가중치를 약 {ratio:.0f}배 자주 움직입니다. 스텝 하나하나는 더 "
        "시끄럽지만(128개가 아니라 16개의 평균), 학습률 0.1로 이 쉬운 문제를 풀 때는 스텝이 많은 "
        "쪽이 이깁니다.\n\n그러니 에폭은 진행의 단위가 아닙니다. 업데이트 스텝을 가로축으로 그리면 "
        "두 배치 크기가 훨씬 가까워지고, 실제 걸린 시간을 가로축으로 그리면 큰 배치가 스텝마다 더 "
        "많은 샘플을 한꺼번에 처리하므로 초당 더 많이 해냅니다. 무엇이 더 빠른지는 무엇을 세느냐에 "
        "달려 있습니다.",
    "lesson.l1_updates_shows": "{answer}: 5에폭 동안 배치 16은 업데이트 스텝 {small:,}번, 배치 128은 {large:,}번 "
        "({ratio:.1f}배)",
    "lesson.l1_seconds": "초 단위로 보면: 배치 16의 5에폭은 {small:.2f}초, 배치 128은 {large:.2f}초 걸렸습니다(시드 "
        "평균, 이 실행을 학습한 컴퓨터 기준).",
    "lesson.l1_at_steps": "{epoch}에폭의 배치 16 ({steps:,}스텝)",
    "lesson.l1_at_end": "20에폭 뒤의 배치 128 ({steps:,}스텝)",
    "lesson.l1_equal_steps": "업데이트 스텝 수가 거의 같을 때의 학습 손실: {arms}.",
    "lesson.l1_steps_still": "업데이트 스텝 수가 거의 같아도 배치 16이 더 낮습니다({arms}).",
    "lesson.l1_steps_reversed": "업데이트 스텝 수가 거의 같으면 오히려 배치 128이 더 낮습니다({arms}).",
    "lesson.l1_steps_close": "업데이트 스텝 수가 거의 같으면 차이가 사라집니다: {arms}, 시드 간 편차 안입니다.",
    "lesson.l1_steps_missing": "(업데이트 스텝 수를 맞춰 비교할 실행이 없습니다.)",
    "lesson.l1_showed": "효과가 나타났습니다: 5에폭 뒤 배치 16의 모든 시드가 배치 128의 모든 시드보다 낮습니다. "
        "하지만 이득은 업데이트당이 아니라 에폭당입니다. 배치 16이 업데이트 스텝을 {ratio:.1f}배 많이 "
        "했습니다. {closes} 초 단위로 봐도 둘은 다릅니다: 배치 16의 5에폭은 {small:.2f}초, 배치 128은 "
        "{large:.2f}초 걸렸습니다. 가로축을 업데이트 스텝이나 실제 걸린 시간으로 바꿔서 확인해 보세요.",
    "lesson.l1_not_shown": "이 실행들에서는 아닙니다: 5에폭 뒤 모든 시드에서 배치 128이 배치 16보다 낮습니다 "
        "({evidence}).",
    "lesson.arm_epochs": "배치 {batch}, {epochs}에폭",
    "lesson.l1_chart": "학습 손실: 블로그 글 001의 네 가지 설정, 각각 시드 3개",
    "lesson.l2_title": "발산하는 학습률",
    "lesson.l2_question": "블로그 글 000은 작은 CNN을 Adam으로 배치 16, 64, 256과 학습률 0.001, 0.01에서 20에폭 "
        "학습합니다. 이 중 어떤 실행이 발산할까요?",
    "lesson.l2_q": "발산하거나 불안정해질 설정을 모두 골라 주세요(없다고 생각하면 '하나도 없음').",
    "lesson.cell": "배치 {batch}, 학습률 {lr:g}",
    "lesson.l2_setup": "{dataset}에서 블로그 글 000 프리셋: 배치 {{16, 64, 256}} × 학습률 {{0.001, 0.01}}, Adam, "
        "20에폭, 각각 시드 3개 — 앱에 들어 있는 실행 {runs}개.",
    "lesson.l2_why": "손실이 줄지 않고 폭발하게 만드는 것은 무엇일까요? 한 스텝이 가중치를 얼마나 멀리 옮기는지, "
        "그리고 Adam이 그 거리를 어떻게 바꾸는지 생각해 보세요.",
    "lesson.l2_explain": "경사 하강법은 학습률 × 그래디언트만큼 내리막으로 걸어갑니다. 손실이 가파르게 휘는 곳에서 "
        "너무 긴 스텝은 골짜기를 지나쳐 반대편 더 높은 곳에 떨어집니다. 그러면 다음 그래디언트가 더 "
        "크고 다음 스텝은 더 길어져서 손실이 끝없이 커집니다. 이것이 발산입니다. 작은 배치는 "
        "스텝마다 노이즈를 더하므로 그 지점에 더 빨리 닿습니다.\n\nAdam은 각 매개변수의 스텝을 "
        "그래디언트 크기의 이동 평균으로 나누므로, 그래디언트가 어떻든 스텝이 학습률 근처에 "
        "머뭅니다. 그래서 학습률 0.01에서는 폭주하기보다 곡선이 울퉁불퉁해지는 일이 더 많습니다. "
        "보통의 SGD라면 같은 숫자가 전혀 다른 뜻이 됩니다.",
    "lesson.l2_cell_fact": "{cell}: 시드 {seeds}개 중 {failed}개가 발산하거나 불안정; 거칠기 {roughness:.3g}",
    "lesson.l2_few": "실행된 시드가 {n}개보다 적은 설정이 있습니다",
    "lesson.l2_mixed": "{cells}: 일부 시드에서는 실패했지만 대부분의 시드에서는 아닙니다",
    "lesson.l2_shows": "{cells}: 대부분의 시드에서 발산하거나 불안정해졌습니다",
    "lesson.l2_shows_none": "실행 {runs}개 중 발산하거나 불안정해진 것은 하나도 없습니다",
    "lesson.l2_showed": "발산이 나타났습니다: {cells}이(가) 대부분의 시드에서 발산하거나 불안정해졌습니다. '너무 "
        "크다'는 옵티마이저와 배치 크기에 달려 있습니다. SGD라면 같은 학습률이 그냥 느릴 수도 있고, "
        "배치가 크면 더 큰 학습률까지 버팁니다.",
    "lesson.l2_not_shown": "여기서는 아무것도 발산하지 않았습니다: 실행 {runs}개(설정 {settings}개 × 시드 {seeds}개, "
        "{dataset}에서 Adam)가 모두 끝까지 학습했습니다. '너무 크다'는 옵티마이저에 달려 있습니다. "
        "Adam은 각 스텝을 그래디언트 크기의 이동 평균으로 나누므로 학습률 0.01은 곡선을 조금 더 "
        "거칠게 만들었을 뿐입니다. 이에 대한 블로그 글 000의 판정('일부 조합에서 덜 안정적')은 "
        "'{outcome}'이었습니다. SGD라면 0.01은 그저 느릴 수도 있습니다. 이 모델의 손실이 실제로 "
        "폭발하는 지점은 학습률 범위 테스트가 학습률을 폭발할 때까지 올려서 보여 줍니다.",
    "lesson.l2_cells_chart": "설정별로 발산하거나 불안정해진 시드 (내 예측은 테두리로 표시)",
    "lesson.l2_chart": "모든 설정의 학습 손실 (시드 3개의 평균과 범위)",
    "lesson.l3_title": "선형 스케일링",
    "lesson.l3_question": "MNIST-1D의 1-D CNN이 배치 64, 학습률 0.03(모멘텀 SGD, 60에폭)에서 잘 학습합니다. 배치를 "
        "128로 두 배 늘립니다. 배치 64일 때처럼 학습하려면 학습률을 어떻게 해야 할까요?",
    "lesson.l3_q": "배치 64 → 128: 배치 64처럼 학습하려면 학습률을 어떻게 해야 할까요?",
    "lesson.l3_keep": "그대로 둔다 (0.03)",
    "lesson.l3_double": "두 배로 (0.06)",
    "lesson.l3_halve": "절반으로 (0.015)",
    "lesson.l3_kept": "그대로",
    "lesson.l3_doubled": "두 배",
    "lesson.l3_halved": "절반",
    "lesson.l3_setup": "블로그 글 002의 선형 스케일링 쌍(배치 32~256, 학습률을 함께 키운 실행과 키우지 않은 대조군)과 "
        "학습률을 바꾸지 않은 블로그 글 003의 배치 128, 각각 시드 3개 — 앱에 들어 있는 실행 {runs}개.",
    "lesson.l3_why": "배치가 두 배면 그래디언트를 두 배 많이 평균하므로 스텝마다 노이즈가 적습니다. 그리고 한 에폭의 "
        "스텝 수는 절반입니다. 스텝이 절반인 것을 무엇으로 메울 수 있을까요?",
    "lesson.l3_explain": "한 에폭 동안 배치 128은 배치 64의 절반만큼 업데이트합니다. 업데이트마다 가중치를 두 배 "
        "멀리, 즉 학습률을 두 배로 움직이면 배치 128의 한 스텝이 배치 64의 두 스텝과 거의 같은 일을 "
        "하고, 에폭별 곡선이 겹칩니다. 이것이 선형 스케일링 규칙입니다(Goyal et al. 2017). 노이즈 "
        "온도 η/B도 그대로이므로 두 실행은 경로가 얼마나 시끄러운지도 닮습니다.\n\n학습률을 그대로 "
        "두면 에폭당 진행이 절반, 절반으로 줄이면 4분의 1이 됩니다. 이 규칙은 작은 스텝을 전제로 한 "
        "근사입니다. 두 배로 키운 학습률이 손실 지형이 견딜 수 있는 한계를 넘으면 대신 튀어 오르고, "
        "규칙은 거기서 멈춥니다.",
    "lesson.l3_claim": "학습률을 {rule}로 한 배치 128: 모든 시드의 최고 검증 손실이 배치 64의 {close:.0%} 안",
    "lesson.l3_shows": "{rules}: 모든 시드의 최고 검증 손실이 배치 64의 {close:.0%} 안",
    "lesson.l3_shows_open": "뚜렷한 답 없음: {rules}은(는) 시드 간 편차 안에 있습니다",
    "lesson.l3_shows_none": "셋 중 어느 것도 배치 64의 최고 검증 손실 {close:.0%} 안에 들지 않았습니다",
    "lesson.l3_unstable": "규칙은 여기서 멈춥니다: 두 배로 키운 학습률이 시드 {seeds}개 중 {failed}개에서 "
        "불안정해지거나 발산했습니다. 안정성 경계를 넘어서, 더 큰 스텝이 더 이상 골짜기를 따라가지 "
        "못합니다. 선형 스케일링은 그 경계 아래에서만 성립합니다.",
    "lesson.l3_showed": "규칙이 나타났습니다: 배치와 함께 학습률을 두 배로 키우니 모든 시드의 최고 검증 손실이 배치 "
        "64의 {close:.0%} 안에 들었고, 안정적으로 학습했습니다(시드 {seeds}개 중 {failed}개 불안정). "
        "학습률을 그대로 두면: {keep}; 절반으로 줄이면: {halve}. 이는 안정성 경계 아래에서만 "
        "성립합니다. 그 너머에서는 두 배로 키운 학습률이 튀어 오르고 규칙이 멈춥니다. 배치 256까지의 "
        "쌍에 대한 블로그 글 002의 판정은 위에 있습니다.",
    "lesson.l3_keep_held": "이 실행들에서는 아닙니다: 학습률을 그대로 둬도 모든 시드에서 배치 64의 {close:.0%} 안에 "
        "들었으므로, 이 단계에서는 규칙이 필요 없었습니다({arms}).",
    "lesson.l3_not_shown": "이 실행들에서는 아닙니다: 두 배로 키운 학습률이 모든 시드에서 배치 64와 {close:.0%} 넘게 "
        "차이 났습니다({arms}).",
    "lesson.l3_chart": "검증 손실: 학습률 0.03의 배치 64와, 학습률별 배치 128 (시드 3개의 평균과 범위)",
    "lesson.l4_title": "스케일링이 깨질 때",
    "lesson.l4_question": "배치 16 → 512는 배치가 32배입니다. 학습률도 32배로 하면 여전히 될까요? 규칙은 세 "
        "가지입니다: 선형(학습률 × 32), 워밍업을 곁들인 선형(예전 학습률에서 시작해 학습률 × 32까지 "
        "올림), 제곱근(학습률 × √32 ≈ 5.7). 모멘텀 SGD와 Adam 각각에서 배치 16에 가장 가깝게 끝나는 "
        "규칙은 무엇일까요?",
    "lesson.l4_q": "{optimizer}: 배치 512에서 배치 16에 가장 가깝게 끝나는 규칙은?",
    "lesson.rule_linear": "선형: 학습률 × 32",
    "lesson.rule_warmup": "워밍업을 곁들인 선형",
    "lesson.rule_sqrt": "제곱근: 학습률 × √32",
    "lesson.opt_momentum": "모멘텀 SGD",
    "lesson.opt_adam": "Adam",
    "lesson.l4_setup": "숫자 데이터의 MLP, {epochs}에폭, 시드 3개: 두 옵티마이저 각각 배치 16과, 규칙별 배치 512 — 이 "
        "서버에서 바로 학습하는 실행 {runs}개(코어 두 개로 몇 초, 한 번 학습한 뒤에는 바로 답합니다).",
    "lesson.l4_why": "64 → 128에서 통하던 규칙이 왜 16 → 512에서는 안 통할 수 있을까요? 가중치가 아직 무작위인 첫 "
        "스텝들을 생각해 보고, 데이터의 절반이나 되는 배치가 평균으로 더 지울 수 있는 노이즈가 얼마나 "
        "남았을지도 생각해 보세요.",
    "lesson.l4_explain": "선형 규칙은 작은 스텝이 많다고 가정합니다. 그래야 큰 배치의 한 스텝이 작은 배치 k스텝의 "
        "일을 합니다. k = 32이면 이 가정이 무너집니다. 손실 지형이 가장 가파른 곳에서 내딛는 첫 큰 "
        "스텝들이 지나칠 수 있습니다. Goyal et al.은 예전 학습률에서 시작해 처음 몇 에폭 동안 새 "
        "학습률까지 올리는 워밍업으로 ImageNet을 배치 8k로 학습했습니다.\n\nAdam은 이미 스텝을 "
        "그래디언트 크기로 나누고, Adam이 반응하는 노이즈는 √B처럼 줄어들기 때문에, 이론상 학습률은 "
        "√k처럼 키워야 합니다(Malladi et al. 2022, β와 ε도 함께 조정). 그리고 배치가 더 이상 표본이 "
        "아니게 되면 어떤 규칙도 끝입니다: 숫자 {n:,}개 중 {large}개라면 배치가 전체의 "
        "{share:.0%}입니다.",
    "lesson.l4_claim": "{optimizer}, 배치 512, {rule}: 모든 시드의 최고 검증 손실이 배치 16의 {close:.0%} 안",
    "lesson.l4_shows": "{rules}: 모든 시드의 최고 검증 손실이 배치 16의 {close:.0%} 안",
    "lesson.l4_shows_open": "뚜렷한 답 없음: {rules}은(는) 그 범위 경계에서 시드 간 편차 안에 있습니다",
    "lesson.l4_shows_none": "어느 규칙도 아님: 모든 규칙이 모든 시드에서 배치 16과 {close:.0%} 넘게 차이 났습니다",
    "lesson.l4_detail": "{optimizer}: 선형은 {linear}; 워밍업을 곁들이면 {warmup}; 제곱근은 {sqrt}",
    "lesson.l4_nearest": "{optimizer}: 평균으로 배치 16에 가장 가까운 것은 {rule}이었습니다({mean:.4g}, 배치 16은 "
        "{base:.4g}) — 평균일 뿐 판정은 아닙니다",
    "lesson.l4_where": "학습용 숫자 {n:,}개로, 배치 512가 데이터의 {share:.0%}이고 {epochs}에폭 동안 업데이트를 "
        "{steps:,}번 합니다(배치 16은 {small:,}번)",
    "lesson.l4_showed": "×32에서 {optimizers}의 선형 스케일링이 깨졌습니다: 워밍업 없는 선형 규칙이 배치 16과 "
        "{close:.0%} 넘게 차이 나거나 학습에 실패했습니다. 규칙별 측정 결과 — {details}. Goyal et "
        "al.은 워밍업으로 ImageNet을 배치 8k까지 키웠지만, 여기는 {where}. 이렇게 작은 데이터에서는 "
        "어떤 규칙이든 뒤처질 수 있습니다.",
    "lesson.l4_not_shown": "여기서는 선형 스케일링이 깨지지 않았습니다: ×32에서도 두 옵티마이저 모두 선형 규칙이 배치 "
        "16의 {close:.0%} 안에 머물렀습니다 — {details}. 여기는 {where}. 더 어려운 문제나 더 큰 "
        "도약에서는 다를 수 있습니다.",
    "lesson.l4_undecided": "이 실행들로는 {optimizers}의 선형 스케일링이 깨졌는지 판단할 수 없습니다: 거기서는 선형 "
        "규칙의 시드들이 {close:.0%} 범위의 안팎에 걸쳐 있습니다. 규칙별 측정 결과 — {details}. "
        "여기는 {where}.",
    "lesson.l4_chart": "{optimizer}: 배치 16과 규칙별 배치 512의 검증 손실 (시드 3개)",
    "lesson.l5_title": "임계 배치 크기",
    "lesson.l5_question": "배치가 두 배면 스텝은 절반일까요? 학습률을 함께 키우면 배치를 두 배로 할 때 필요한 "
        "업데이트 스텝이 절반으로 줄 수 있습니다. 한동안은요. 배치 32에서 256까지, 검증 정확도 "
        "{target:.0%}에 닿는 스텝 수는 어떤 모양을 그릴까요?",
    "lesson.l5_q": "배치를 32에서 256까지 두 배씩 늘리면(학습률도 함께): 검증 정확도 {target:.0%}까지 필요한 업데이트 "
        "스텝은 어떻게 변할까요?",
    "lesson.l5_line": "계속 절반이 된다: 직선",
    "lesson.l5_bend": "처음엔 절반이 되다가 평평해진다: 꺾인 뒤 평평",
    "lesson.l5_u": "줄다가 다시 늘어난다: U자",
    "lesson.l5_setup": "MNIST-1D에서 블로그 글 002의 선형 스케일링 쌍: 학습률을 함께 키운 배치 32, 64, 128, 256(과 "
        "학습률을 그대로 둔 같은 배치들), 60에폭, 각각 시드 3개 — 앱에 들어 있는 실행 {runs}개. "
        "목표까지의 스텝 수는 에폭 기록에서 읽습니다.",
    "lesson.l5_why": "배치는 그래디언트를 평균합니다. 더 많이 평균하는 것이 언제부터 도움이 안 될까요? 샘플을 더 "
        "넣어도 그래디언트가 거의 바뀌지 않을 만큼 큰 배치를 떠올려 보세요.",
    "lesson.l5_explain": "그래디언트 노이즈가 지배적인 동안에는 배치가 두 배면 그래디언트가 두 배 정확해지고, "
        "학습률을 함께 키우면 한 스텝이 두 스텝의 일을 합니다. 스텝이 절반이 됩니다(완벽한 "
        "스케일링). 배치의 그래디언트가 참 그래디언트만큼 좋아지면, 더 큰 배치는 아무도 필요 없는 "
        "정밀도만 보태고 스텝은 더 줄지 않습니다. 수확 체감, 그다음 바닥 S_min입니다(Shallue et al. "
        "2019). McCandlish et al. (2018)은 이를 S = S_min (1 + B_crit / B)로 모형화합니다. 꺾임은 "
        "임계 배치 크기 B_crit 근처에 있고, 그래디언트 노이즈 스케일 B_simple이 이를 "
        "추정합니다.\n\n꺾임은 움직입니다: 손실이 줄수록 노이즈 스케일이 커지므로, 목표가 어려울수록 "
        "꺾임이 더 큰 배치로 옮겨 갑니다.",
    "lesson.l5_steps": "배치 {batch}: {steps}스텝",
    "lesson.l5_not_reached": "배치 {batch}: {budget:,}스텝 안에 닿지 못함",
    "lesson.l5_some": "{text} (시드 {seeds}개 중 {missed}개는 끝내 닿지 못함)",
    "lesson.l5_points": "학습률을 함께 키웠을 때 검증 정확도 {target:.0%}까지의 스텝: {points}.",
    "lesson.l5_controls": "학습률을 {lr:g}로 그대로 두면: {points}.",
    "lesson.l5_fit": "맞춘 값: B_crit ≈ {b_crit:,.0f}, S_min ≈ {s_min:,.0f}스텝.",
    "lesson.l5_claim": "검증 정확도 {target:.0%}까지의 스텝이 완벽한 스케일링에서 벗어나 꺾입니다: S = S_min (1 + "
        "B_crit / B)가 맞고, B_crit가 시험한 배치 크기 범위 안에 있습니다",
    "lesson.l5_none": "실행 없음",
    "lesson.l5_few": "배치 크기가 3개보다 적거나 시드가 {n}개보다 적습니다",
    "lesson.l5_coarse": "어떤 배치 크기가 처음 {epochs}에폭 안에 목표에 닿아서, 에폭 끝마다 세는 방식으로는 10%보다 "
        "거칩니다",
    "lesson.l5_bent": "맞춘 곡선이 시험한 배치 크기 범위 안에서 꺾입니다",
    "lesson.l5_refused": "맞춘 곡선의 판단: “{why}”",
    "lesson.l5_no_fit": "곡선을 맞추지 못함",
    "lesson.l5_measured": "잰 것: 블로그 글 002의 스케일링 실행. 배치 {low}–{high}, 학습률은 배치 {low}의 값에서 "
        "선형으로 키웠습니다(Shallue et al.처럼 배치마다 다시 튜닝하지 않음). 시드 {seeds}개, "
        "스텝은 에폭 끝마다 셉니다(각각 한 에폭 이내로 알 수 있고, 여기서는 최대 {resolution:.0%}). "
        "여기서 재지 않은 것: {high}보다 큰 배치, 그리고 그래디언트 노이즈 스케일 B_simple. 노이즈 "
        "스케일은 손실이 줄수록 커지므로(McCandlish et al.), 목표가 어려울수록 꺾임이 더 큰 배치로 "
        "옮겨 갑니다. 임계 배치 크기 페이지는 배치마다 학습률을 튜닝하면서 배치 1024까지 S(B)를 "
        "스텝 단위로 잽니다.",
    "lesson.l5_undecided": "이 실행들로는 모양을 판단할 수 없습니다: {why}. {measured}",
    "lesson.l5_not_shown": "여기서는 꺾임이 없습니다: 배치 {low}부터 {high}까지, 배치를 두 배로 할 때마다 목표까지의 "
        "스텝이 거의 절반이 되었습니다({points}). {measured}",
    "lesson.l5_u_showed": "스텝이 더 줄지 않았습니다: 배치 {high}이(가) 모든 시드에서 바로 앞 배치보다 스텝을 더 많이 "
        "썼습니다. 학습률을 튜닝하지 않고 키우기만 하면 큰 배치의 학습률이 지나칠 수 있습니다. "
        "배치마다 튜닝하면 S(B)는 대신 평평해집니다. {measured}",
    "lesson.l5_showed": "꺾임이 나타났습니다: 배치 {low}–{high} 사이에서 스텝이 더는 절반이 되지 않았습니다. "
        "{measured}",
    "lesson.l5_median": "측정값 (시드 중앙값)",
    "lesson.l5_perfect": "완벽한 스케일링: 배치를 두 배로 할 때마다 스텝 절반",
    "lesson.l5_yours": "내 예측 (모양만, 배치 {batch}의 점에서 그림)",
    "lesson.l5_chart": "배치 크기에 따른 검증 정확도 {target:.0%}까지의 업데이트 스텝 (로그–로그)",
    "lesson.l6_title": "날카로운 최소점",
    "lesson.l6_question": "Keskar et al. (2017)은 큰 배치가 날카로운 최소점(가중치 주변에서 손실이 가파르게 올라가는 "
        "곳)에 도달해 일반화가 나빠진다고 보고했습니다. 같은 에폭 수에서 작은 배치와 큰 배치 중 "
        "어느 쪽이 더 날카롭게 끝나고, 어느 쪽이 일반화를 더 잘할까요?",
    "lesson.l6_q_sharper": "같은 에폭 수에서 더 날카로운 최소점에 도달하는 쪽은?",
    "lesson.l6_q_better": "같은 에폭 수에서 일반화를 더 잘하는 쪽은(검증 손실과 학습 손실의 격차가 더 작은 쪽)?",
    "lesson.l6_small": "작은 배치",
    "lesson.l6_large": "큰 배치",
    "lesson.l6_same": "뚜렷한 차이 없음",
    "lesson.l6_gap_claim": "큰 배치일수록 일반화가 나쁘다 (블로그 글 003)",
    "lesson.l6_setup": "격차는 블로그 글 003 프리셋(배치 64 / 128 / 256, 학습률을 키우거나 그대로, MNIST-1D, 시드 "
        "3개: 앱에 들어 있는 실행 {shipped}개)으로, 날카로움은 회귀 직선 위의 작은 MLP 실행 "
        "{live}개(배치 {small}과 {large}, 여기서 바로 학습하고 날카로움까지 잽니다, 몇 초)로 봅니다.",
    "lesson.l6_why": "작은 배치가 찾은 최소점은 왜 더 평평할 수 있을까요? 시끄러운 스텝을 떠올려 보세요. 어디에는 "
        "머물 수 있고, 어디에서는 튕겨 나갈까요?",
    "lesson.l6_explain": "작은 배치의 스텝은 시끄럽습니다. 좁고 날카로운 골짜기에서는 그 노이즈가 가중치를 다시 "
        "밖으로 튕겨 내고, 넓고 평평한 골짜기만 가중치를 붙잡아 둡니다. 큰 배치의 스텝은 차분해서 "
        "날카로운 골짜기에도 자리 잡을 수 있습니다. 평평한 최소점이 일반화를 더 잘한다고 여겨지는 "
        "것은, 학습 손실에서 조금 어긋난 테스트 손실도 그 주변에서는 낮게 유지되기 "
        "때문입니다.\n\n하지만 같은 에폭 수라면 큰 배치는 업데이트도 훨씬 적게 하고, 덜 학습된 "
        "신경망은 그 이유만으로도 더 날카로워 보이고 일반화도 다르게 합니다. 그래서 이 비교는 두 "
        "배치가 비슷한 정도까지 학습했을 때만 의미가 있습니다.",
    "lesson.l6_loss_arm": "{batch}의 학습 손실",
    "lesson.l6_measured": "잰 것: 회귀 직선 위의 작은 MLP에서 날카로움(헤시안의 최대 고윳값), 배치 {small}과 {large}, "
        "Adam, 30에폭, 시드 {seeds}개. 여기서는 두 배치 크기가 모두 노이즈 바닥 근처에서 "
        "끝나므로({losses}) 덜 학습되었다는 이유만으로 더 날카로워 보이는 일이 없습니다. 이 앱의 "
        "분류 모델들에서는 같은 에폭 수일 때 바로 이런 일이 생깁니다. 그리고 블로그 글 003의 "
        "MNIST-1D 실행에서 일반화 격차: 배치 64와 학습률을 ×4로 키운 배치 256을 최적 에폭, 같은 "
        "학습 손실, 같은 업데이트 스텝 수에서 비교했습니다.",
    "lesson.l6_contested": "이 주장은 논쟁 중입니다: Shallue et al.은 학습률을 튜닝하면 큰 배치에서도 품질이 떨어지지 "
        "않는다는 것을 발견했고, Hoffer et al.은 격차의 원인을 배치가 아니라 적은 업데이트 "
        "횟수에서 찾았으며, Dinh et al.은 함수는 그대로 두고 매개변수화만 바꿔도 날카로움이 "
        "달라진다는 것을 보였습니다. 격차가 없는 것도 정당한 결과입니다.",
    "lesson.l6_words": "더 날카로운 쪽: {sharper}; 일반화를 더 잘하는 쪽: {better}",
    "lesson.l6_showed": "이 실행들에서 주장이 나타났습니다 — {words}. {contested} {measured}",
    "lesson.l6_not_shown": "이 실행들에서 주장이 온전히 나타나지는 않았습니다 — {words}. {contested} {measured}",
    "lesson.l6_undecided": "이 실행들로는 주장을 판단할 수 없습니다 — {words}. {contested} {measured}",
    "lesson.l6_chart": "블로그 글 003: 배치 64와 배치 256의 일반화 격차 (검증 − 학습 손실, 시드 3개)",
    "lesson.l6_sharp_yours": "{title} — 내 예측: {sharper}",
    "lesson.l6_sharp_chart": "회귀 MLP: 끝났을 때 시드별 날카로움, 배치 {small}과 {large}",
    "lesson.l7_title": "에폭과 조기 종료",
    "lesson.l7_question": "1-D CNN이 MNIST-1D에서 {epochs}에폭 동안 학습합니다(배치 64, 학습률 0.03, 모멘텀 SGD). "
        "학습 손실은 끝까지 줄어듭니다. 이 모델은 언제 처음 보는 데이터에서 가장 좋을까요?",
    "lesson.l7_q": "검증 손실이 가장 낮은 에폭으로 표시를 옮겨 주세요.",
    "lesson.l7_setup": "MNIST-1D에서 블로그 글 002의 기본 실행({epochs}에폭, 시드 3개)과 5에폭 동안 배치 128로 학습한 "
        "블로그 글 001의 직선(시드 3개) — 앱에 들어 있는 실행 {runs}개. 조기 종료는 기록된 검증 손실에 "
        "엔진과 같은 규칙으로 적용합니다.",
    "lesson.l7_why": "학습 손실은 계속 줄어듭니다. 그런데 처음 보는 데이터의 손실은 왜 어느 순간 따라가지 않을까요? "
        "그때 학습이 무엇을 해 주기를 바라나요?",
    "lesson.l7_explain": "처음에는 신경망이 배우는 것이 모두 신호의 모양에 관한 것이라 두 손실이 함께 줄어듭니다. "
        "나중에는 학습 샘플 자체, 즉 그 노이즈와 버릇까지 배우기 시작합니다. 그것은 학습 샘플에는 "
        "도움이 되지만 새 샘플에는 그렇지 않아서, 검증 손실이 줄다가 멈추고 다시 올라가 U자를 "
        "그립니다. 이것이 과적합입니다.\n\n조기 종료는 검증 손실을 지켜보다가 `patience` 에폭 동안 "
        "나아지지 않으면 멈추고, 최적 에폭의 가중치로 되돌립니다(Keras의 EarlyStopping). 데이터에 "
        "비해 너무 단순한 모델은 올라가는 쪽에 닿지 않습니다. 검증 손실이 줄기만 하고, 일찍 멈추면 "
        "과소적합으로 남을 뿐입니다.",
    "lesson.l7_shows": "검증 손실이 가장 낮은 에폭은 {best}입니다(시드별 최적 에폭; 그로부터 {slack}에폭 안의 예측은 "
        "맞은 것으로 칩니다)",
    "lesson.l7_rise_arm": "마지막 에폭의 검증 손실이 최저보다 높은 정도(%)",
    "lesson.l7_rose": "모든 시드가 최저보다 {rise:.0%} 넘게 높게 끝납니다",
    "lesson.l7_flat": "최저보다 {rise:.0%} 넘게 높게 끝나는 시드가 없습니다",
    "lesson.l7_claim": "최적 에폭이 지나면 검증 손실이 다시 올라갑니다(U자): 모든 시드가 최저보다 {rise:.0%} 넘게 "
        "높게 끝납니다",
    "lesson.l7_early": "patience = {patience}일 때 조기 종료했다면 {stop}에폭 뒤에 멈추고 {restored}에폭의 가중치로 "
        "되돌렸을 것이고, {epochs}에폭 중 {left}에폭은 학습하지 않았을 것입니다. 이 실행들의 검증 "
        "손실에 엔진의 규칙을 그대로 적용한 결과입니다(조기 종료된 실행도 멈출 때까지는 정확히 이 "
        "에폭들을 학습합니다).",
    "lesson.l7_underfit": "5에폭 뒤 멈춘 배치 128의 블로그 글 001 직선: 시드 {seeds}개 중 {last}개에서 최적 에폭이 "
        "마지막 에폭이었고, {falling}개에서 학습 손실이 아직 줄고 있었습니다. 이렇게 일찍 멈추면 "
        "과소적합입니다. y = 3x + 노이즈에 맞춘 직선은 과소적합만 할 수 있습니다. 노이즈를 외울 "
        "만큼 매개변수가 많지 않기 때문입니다.",
    "lesson.l7_short_missing": "(과소적합 사례인 블로그 글 001의 짧은 실행이 여기에 없습니다.)",
    "lesson.l7_showed": "U자가 나타났습니다: 모든 시드의 검증 손실이 최적 에폭 뒤에 {rise:.0%} 넘게 "
        "올라갔습니다({rises}). {last_best}에폭이 지나서도 학습한 것은 학습 데이터에 더 잘 맞추기만 "
        "했습니다. {underfit}",
    "lesson.l7_not_shown": "이 실행들에서는 아닙니다: 최적 에폭 뒤에 검증 손실이 올라가지 않았습니다({rises}). 검증 "
        "손실이 끝내 올라가지 않으면 모델은 아직 과소적합입니다: 더 오래 학습하세요. {underfit}",
    "lesson.l7_val": "{arm}: 검증",
    "lesson.l7_train": "{arm}: 학습",
    "lesson.l7_best_band": "최적 에폭 (시드): {best}",
    "lesson.l7_stop_rule": "조기 종료 (patience {patience})가 멈추는 곳: {stop}",
    "lesson.l7_your_rule": "내 예측: {epoch}에폭",
    "lesson.l7_chart": "MNIST-1D, 배치 64, 학습률 0.03: 학습 손실과 검증 손실 (시드 3개의 평균과 범위)",
    "lesson.l7_short_chart": "5에폭 동안 배치 128로 학습한 블로그 글 001의 직선: 검증 손실 (시드 3개)",
}
