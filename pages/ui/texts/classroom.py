"""The Class page: rooms, joining, the class board."""

TEXT: dict[str, dict[str, str]] = {
    "nav.class": {"en": "Class", "ko": "교실"},
    "home.page.class": {"en": "a room for a class: join with a code, see everyone's runs on one live board",
                        "ko": "한 반을 위한 방: 코드로 들어오고, 모두의 실행을 하나의 실시간 보드에서 봅니다"},
    "class.title": {"en": "Class", "ko": "교실"},
    "class.subtitle": {"en": "A class in one room", "ko": "한 교실에서 함께"},
    "class.intro": {
        "en": "The teacher opens a room and reads its code aloud; everyone joins with a nickname. While you are in "
              "the room, every run you train (on any page) appears on the class board below, live, for the whole "
              "class.",
        "ko": "교사가 방을 열고 코드를 읽어 주면 모두 별명으로 들어옵니다. 방에 있는 동안 어느 페이지에서든 학습한 "
              "실행은 아래 교실 보드에 실시간으로 나타나 반 전체가 함께 봅니다."},
    "class.join": {"en": "Join a room", "ko": "방에 들어가기"},
    "class.code": {"en": "Room code", "ko": "방 코드"},
    "class.nickname": {"en": "Nickname", "ko": "별명"},
    "class.join_button": {"en": "Join", "ko": "들어가기"},
    "class.start": {"en": "Open a room (teacher)", "ko": "방 열기 (교사)"},
    "class.title_field": {"en": "Name of the class (optional)", "ko": "수업 이름 (선택)"},
    "class.start_button": {"en": "Open a room", "ko": "방 열기"},
    "class.created": {"en": "Room {code} is open. Read the code aloud, or show the student link's QR code.",
                      "ko": "방 {code}이(가) 열렸습니다. 코드를 읽어 주거나 학생 링크의 QR 코드를 보여 주세요."},
    "class.student_link": {"en": "Student link", "ko": "학생 링크"},
    "class.teacher_link": {"en": "Teacher link (keep it to yourself)", "ko": "교사 링크 (혼자만 보관하세요)"},
    "class.key_once": {
        "en": "The teacher link carries the room's teacher key and is shown only now: copy it somewhere safe. "
              "Anyone with it can close the room and tidy its runs.",
        "ko": "교사 링크에는 이 방의 교사 키가 들어 있고 지금 한 번만 보입니다. 안전한 곳에 복사해 두세요. "
              "이 링크가 있으면 누구든 방을 닫고 방의 실행을 정리할 수 있습니다."},
    "class.wrong_key": {"en": "This teacher link's key is not room {code}'s; you are not its teacher.",
                        "ko": "이 교사 링크의 키는 방 {code}의 키가 아닙니다. 이 방의 교사로 들어오지 않았습니다."},
    "class.room_header": {"en": "Room {room}", "ko": "방 {room}"},
    "class.you_are": {"en": "You are in this room as **{nickname}**.",
                      "ko": "이 방에 **{nickname}**(으)로 들어와 있습니다."},
    "class.members": {"en": "{n} student(s) in the room.", "ko": "방에 학생 {n}명이 있습니다."},
    "class.projector": {"en": "Projector mode", "ko": "프로젝터 모드"},
    "class.projector_help": {"en": "Large type for the back row.", "ko": "뒷자리에서도 보이게 글자를 크게 합니다."},
    "class.hide_names": {"en": "Hide nicknames", "ko": "별명 숨기기"},
    "class.close": {"en": "Close the room", "ko": "방 닫기"},
    "class.leave": {"en": "Leave the room", "ko": "방에서 나가기"},
    "class.label_by": {"en": "Name the curves by", "ko": "곡선 이름"},
    "class.by_setting": {"en": "setting", "ko": "설정"},
    "class.by_student": {"en": "student", "ko": "학생"},
    "class.board_empty": {"en": "Nobody in this room has trained a run yet. Runs appear here as soon as they start.",
                          "ko": "이 방에서 아직 아무도 실행을 학습하지 않았습니다. "
                                "실행은 시작하자마자 여기에 나타납니다."},
    "class.board_caption": {"en": "{runs} run(s) from {students} student(s); {metric} per epoch; redrawn every few "
                                  "seconds.",
                            "ko": "학생 {students}명의 실행 {runs}개, 에폭별 {metric}. 몇 초마다 다시 그립니다."},
    "class.badge": {"en": "🏫 Room **{code}** · **{nickname}**", "ko": "🏫 방 **{code}** · **{nickname}**"},
    "class.badge_locked": {"en": "The teacher has locked the settings: only the assignment's cells train here.",
                           "ko": "교사가 설정을 잠갔습니다. 과제의 칸만 학습할 수 있습니다."},
    "class.badge_cell": {"en": "Your cell: **B {batch} · LR {lr}**", "ko": "내 칸: **B {batch} · LR {lr}**"},
    "class.badge_train": {"en": "Open my cell on the Train page", "ko": "내 칸을 학습 페이지에서 열기"},
    "class.report_csv": {"en": "Class report (CSV)", "ko": "수업 보고서 (CSV)"},
    "class.report_html": {"en": "Class report (HTML page)", "ko": "수업 보고서 (HTML 페이지)"},
    "class.report_help": {"en": "Every run the room asked for: who, the settings, how it stands and its results. "
                                "The HTML page holds the board's chart too and opens offline.",
                          "ko": "방에서 요청한 모든 실행: 누가, 어떤 설정으로, 어떤 상태인지와 결과가 담깁니다. "
                                "HTML 페이지에는 보드의 차트도 들어 있고 인터넷 없이 열립니다."},
    "class.assignment": {"en": "Assignment", "ko": "과제"},
    "class.assignment_now": {
        "en": "Now assigned: **{cells} cells**, batch sizes {batches} × learning rates {lrs}; {locked}.",
        "ko": "지금 과제: **칸 {cells}개**, 배치 크기 {batches} × 학습률 {lrs}. {locked}."},
    "class.locked": {"en": "locked", "ko": "잠김"},
    "class.unlocked": {"en": "not locked", "ko": "잠기지 않음"},
    "class.lock": {"en": "Lock the settings to the assignment's cells", "ko": "설정을 과제의 칸으로 잠그기"},
    "class.lock_help": {"en": "Students in the room can then train only these cells, whatever a link says.",
                        "ko": "그러면 방의 학생은 링크가 무엇이든 이 칸들만 학습할 수 있습니다."},
    "class.hand_out": {"en": "Hand out one cell to each student", "ko": "학생마다 칸 하나씩 나눠 주기"},
    "class.hand_out_help": {"en": "Round robin, in the order students joined: a 3 × 3 grid is trained by nine "
                                  "students at once.",
                            "ko": "들어온 순서대로 돌아가며 나눕니다. 3 × 3 그리드라면 아홉 명이 동시에 학습합니다."},
    "class.assign": {"en": "Assign", "ko": "과제 내기"},
    "class.unassign": {"en": "Remove the assignment", "ko": "과제 없애기"},
    "class.grid": {"en": "The assignment's grid", "ko": "과제 그리드"},
    "class.grid_caption": {
        "en": "Each cell: the mean {metric} of the runs that ended there (their range when there are two or more), "
              "how many students trained it, and n, the runs with a result. ✗ diverged, ⚠ unstable, ⏳ still "
              "training. Students who trained the same settings share one run, which counts once.",
        "ko": "칸마다: 거기서 끝난 실행들의 평균 {metric}(둘 이상이면 그 범위), 그 칸을 학습한 학생 수, 그리고 "
              "결과가 있는 실행 수 n. ✗ 발산, ⚠ 불안정, ⏳ 아직 학습 중. 같은 설정을 학습한 학생들은 실행 하나를 "
              "함께 쓰고, 그 실행은 한 번만 셉니다."},
    "class.lesson": {"en": "Lesson", "ko": "수업"},
    "class.lesson_now": {"en": "Now: **{id} · {title}**, {state}.", "ko": "지금: **{id} · {title}**, {state}."},
    "class.revealed": {"en": "result revealed", "ko": "결과 공개됨"},
    "class.unrevealed": {"en": "result not revealed yet", "ko": "결과 아직 공개 안 됨"},
    "class.lesson_assign": {"en": "Give the room this lesson", "ko": "이 수업을 방에 내기"},
    "class.reveal": {"en": "Reveal the result", "ko": "결과 공개하기"},
    "class.reveal_help": {
        "en": "Shows what the runs measured beside the class's predictions, here and on every student's Lessons "
              "page. Predictions close.",
        "ko": "학생들의 예측 옆에 실행으로 잰 결과를 여기와 모든 학생의 수업 페이지에 보여 줍니다. 예측은 "
              "마감됩니다."},
    "class.lesson_remove": {"en": "Take the lesson away", "ko": "수업 거두기"},
    "class.lesson_header": {"en": "Lesson {id} · {title}", "ko": "수업 {id} · {title}"},
    "class.predict_first": {
        "en": "{n} student(s) have sent a prediction. Make yours on the Lessons page to see the class's.",
        "ko": "학생 {n}명이 예측을 보냈습니다. 수업 페이지에서 내 예측을 보내면 반 전체의 예측이 보입니다."},
    "class.open_lesson": {"en": "Open lesson {id} and predict", "ko": "수업 {id}을(를) 열고 예측하기"},
    "class.predictions_sent": {"en": "{n} student(s) have sent a prediction.",
                               "ko": "학생 {n}명이 예측을 보냈습니다."},
    "class.runs_show": {
        "en": "**The runs show:** {shows}. Predictions: ✅ {matched} matched · ❌ {missed} missed · ⚖️ {open} open.",
        "ko": "**실행 결과:** {shows}. 예측: ✅ {matched}명 맞음 · ❌ {missed}명 틀림 · ⚖️ {open}명 미정."},
    "class.not_revealed": {
        "en": "The result shows here, and on every student's Lessons page, when the teacher reveals it.",
        "ko": "교사가 결과를 공개하면 여기와 모든 학생의 수업 페이지에 나타납니다."},
    "class.result_pending": {
        "en": "Revealed: the result appears when the lesson's last run has finished.",
        "ko": "공개되었습니다. 수업의 마지막 실행이 끝나면 결과가 나타납니다."},
    "class.clear": {"en": "Clear the room's runs", "ko": "방의 실행 지우기"},
    "class.clear_help": {
        "en": "Empties the board (its runs and the predictions) to start afresh; asks first. The runs stay in the "
              "store.",
        "ko": "새로 시작하도록 보드(실행과 예측)를 비웁니다. 먼저 확인을 묻습니다. 실행 자체는 저장소에 "
              "남습니다."},
    "class.clear_confirm": {
        "en": "Clear room {code}'s board? Its {entries} run(s) and {predictions} prediction(s) leave the board and "
              "the class report, and the lesson's result is hidden again. The runs themselves stay in the store: "
              "every student keeps their work, on the Compare page and on any page that trains the same settings.",
        "ko": "방 {code}의 보드를 비울까요? 실행 {entries}개와 예측 {predictions}개가 보드와 수업 보고서에서 "
              "빠지고, 수업 결과는 다시 가려집니다. 실행 자체는 저장소에 남습니다. 학생들의 작업은 비교 페이지와 "
              "같은 설정을 학습하는 모든 페이지에 그대로 있습니다."},
    "class.clear_yes": {"en": "Yes, clear the board", "ko": "네, 보드를 비웁니다"},
    "class.clear_no": {"en": "Cancel", "ko": "취소"},
    "class.cleared": {
        "en": "The board is clear: {entries} run(s) and {predictions} prediction(s) removed from it. The runs stay "
              "in the store.",
        "ko": "보드를 비웠습니다. 실행 {entries}개와 예측 {predictions}개를 보드에서 뺐습니다. 실행은 저장소에 "
              "남아 있습니다."},
    "next.10_class": {"en": "Next: train a run; in a room it appears on the board (Train)",
                      "ko": "다음: 실행을 학습하세요. 방에 있으면 보드에 나타납니다 (학습)"},
}

CORE: dict[str, str] = {  # core/classroom/rooms.py, board.py and report.py
    "room.nickname_empty": "방에 들어가려면 별명을 정하세요.",
    "room.nickname_long": "별명은 {cap}자까지입니다. {name!r}은(는) {length}자입니다.",
    "room.nickname_control": "별명에는 제어 문자를 넣을 수 없습니다.",
    "room.no_code": "남은 방 코드가 없습니다. 먼저 오래된 방을 닫으세요.",
    "room.unknown": "방 {code!r}이(가) 없습니다. 교사에게 코드를 다시 확인하세요.",
    "room.closed": "방 {code}은(는) 닫혔습니다.",
    "room.nickname_taken": "방 {code}에 이미 {nickname!r}(이)라는 사람이 있습니다. 다른 별명을 고르세요.",
    "room.not_teacher": "교사 링크를 가진 방 {code}의 교사만 할 수 있습니다.",
    "board.student": "학생 {number}",
    "room.locked":
        "방 {code}의 과제는 잠겨 있습니다. 과제의 칸 중 하나를 학습하세요 (배치 크기 {batches}, 학습률 {lrs}, "
        "나머지 설정은 교사가 정한 대로). 이 설정은 그중 하나가 아니어서 아무것도 학습하지 않았습니다.",
    "report.not_trained": "아직 학습 안 됨",
    "report.col.nickname": "학생",
    "report.col.kind": "작업",
    "report.col.dataset": "데이터셋",
    "report.col.model": "모델",
    "report.col.optimizer": "옵티마이저",
    "report.col.batch_size": "배치 크기",
    "report.col.learning_rate": "학습률",
    "report.col.epochs": "에폭",
    "report.col.seed": "시드",
    "report.col.status": "상태",
    "report.col.epochs_run": "실행한 에폭",
    "report.col.best_val_loss": "최고 검증 손실",
    "report.col.best_val_acc": "최고 검증 정확도",
    "report.col.final_train_loss": "최종 학습 손실",
    "report.col.asked_at": "요청 시각",
    "report.heading": "수업 보고서: 방 {code}",
    "report.date": "작성 {date}",
    "report.count": "항목 {entries}개",
    "report.no_runs": "이 방에서 아직 아무도 실행을 학습하지 않았습니다.",
    "report.col.lesson": "수업",
    "report.col.question": "질문",
    "report.col.prediction": "예측",
    "report.col.runs_show": "실행 결과",
    "report.col.match": "일치",
    "report.matched": "✅ 맞음",
    "report.missed": "❌ 틀림",
    "report.open": "⚖️ 미정",
    "report.predictions": "예측",
    "room.not_the_lesson": "방 {code}은(는) 수업 {lesson}을(를) 하고 있지 않아서 예측을 보드로 보내지 않았습니다.",
    "room.revealed": "방 {code}의 교사가 수업 {lesson}의 결과를 이미 공개했습니다. 예측은 마감되었습니다.",
    "room.prediction_incomplete": "예측을 보내기 전에 수업 {lesson}의 모든 질문에 답하세요.",
    "room.no_lesson": "방 {code}에는 공개할 수업이 없습니다. 먼저 수업을 내세요.",
    "room.lesson_locked":
        "방 {code}의 과제는 잠겨 있습니다. 학생은 과제의 칸과 교사가 낸 수업만 실행할 수 있어서 수업 {lesson}의 "
        "실행은 시작하지 않았습니다.",
    "grid.counts": "학생 {students}명 · n = {n}",
    "grid.students": "학생",
    "grid.results": "결과가 있는 실행",
    "grid.std": "표준편차",
    "grid.low": "최저",
    "grid.high": "최고",
    "grid.training": "아직 학습 중",
}
