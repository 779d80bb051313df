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
}
