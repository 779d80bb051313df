"""The Class page: rooms, joining, the class board."""

TEXT: dict[str, dict[str, str]] = {
    "nav.class": {"en": "Class", "ko": "교실"},
    "home.page.class": {"en": "a room for a class: join with a code, see everyone's runs on one live board",
                        "ko": "한 반을 위한 방: 코드로 들어오고, 모두의 실행을 하나의 실시간 보드에서 봅니다"},
    "class.title": {"en": "A class in one room", "ko": "한 교실에서 함께"},
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
    "next.10_class": {"en": "Next: train a run; in a room it appears on the board (Train)",
                      "ko": "다음: 실행을 학습하세요. 방에 있으면 보드에 나타납니다 (학습)"},
}

CORE: dict[str, str] = {  # core/classroom/rooms.py and board.py
    "room.nickname_empty": "방에 들어가려면 별명을 정하세요.",
    "room.nickname_long": "별명은 {cap}자까지입니다. {name!r}은(는) {length}자입니다.",
    "room.nickname_control": "별명에는 제어 문자를 넣을 수 없습니다.",
    "room.no_code": "남은 방 코드가 없습니다. 먼저 오래된 방을 닫으세요.",
    "room.unknown": "방 {code!r}이(가) 없습니다. 교사에게 코드를 다시 확인하세요.",
    "room.closed": "방 {code}은(는) 닫혔습니다.",
    "room.nickname_taken": "방 {code}에 이미 {nickname!r}(이)라는 사람이 있습니다. 다른 별명을 고르세요.",
    "room.not_teacher": "교사 링크를 가진 방 {code}의 교사만 할 수 있습니다.",
    "board.student": "학생 {number}",
}
