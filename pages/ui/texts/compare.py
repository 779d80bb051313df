"""The strings of the compare page, and the Korean of core.store's messages (shown when an import,
a rename or the store file fails)."""

TEXT: dict[str, dict[str, str]] = {
    "compare.title": {"en": "Compare", "ko": "비교"},
    "compare.intro": {
        "en": "Every run trained here is kept: finished, stopped, diverged and early-stopped ones. Filter them, pick "
              "a few and overlay their curves — against epochs, update steps, samples seen or wall-clock time. "
              "Runs marked *reference* come with the app: the seed posts' experiments, trained in advance.",
        "ko": "여기서 학습한 실행은 모두 보관됩니다: 끝까지 학습한 실행도, 중지·발산·조기 종료된 실행도 남습니다. "
              "필터로 추리고 몇 개를 골라 곡선을 겹쳐 보세요. 가로축은 에폭, 업데이트 스텝, 본 샘플 수, "
              "경과 시간 중에서 "
              "고를 수 있습니다. *reference* 표시가 붙은 실행은 앱에 함께 들어 있는 것으로, 블로그 글의 실험을 미리 "
              "학습해 둔 것입니다."},
    # ------------------------------------------------------------------ import
    "compare.import": {"en": "Import runs (JSON or CSV exported from Batch Lab)",
                       "ko": "실행 가져오기 (Batch Lab에서 내보낸 JSON 또는 CSV)"},
    "compare.file": {"en": "Run file", "ko": "실행 파일"},
    "compare.import_button": {"en": "Import", "ko": "가져오기"},
    "compare.imported": {"en": "Imported {n} run(s).", "ko": "실행 {n}개를 가져왔습니다."},
    "compare.not_imported": {"en": "Nothing was imported: {error}", "ko": "아무것도 가져오지 않았습니다: {error}"},
    "compare.empty": {
        "en": "No stored runs yet. Train one on the **Train** page or run a **Sweep**.",
        "ko": "아직 저장된 실행이 없습니다. **학습** 페이지에서 하나 학습하거나 **그리드 실험**을 실행하세요."},
    # ------------------------------------------------------------------ the table and its filters
    "compare.stored": {"en": "Stored runs", "ko": "저장된 실행"},
    "compare.any": {"en": "Any", "ko": "전체"},
    "compare.contains": {"en": "Name or tag contains", "ko": "이름이나 태그에 포함된 글자"},
    "compare.contains_example": {"en": "e.g. seed001 or reference", "ko": "예: seed001 또는 reference"},
    "compare.col.name": {"en": "Name", "ko": "이름"},
    "compare.col.tags": {"en": "Tags", "ko": "태그"},
    "compare.col.status": {"en": "Status", "ko": "상태"},
    "compare.col.dataset": {"en": "Dataset", "ko": "데이터셋"},
    "compare.col.model": {"en": "Model", "ko": "모델"},
    "compare.col.optimizer": {"en": "Optimizer", "ko": "옵티마이저"},
    "compare.col.batch_size": {"en": "Batch size", "ko": "배치 크기"},
    "compare.col.learning_rate": {"en": "Learning rate", "ko": "학습률"},
    "compare.col.epochs_run": {"en": "Epochs run", "ko": "학습한 에폭"},
    "compare.col.seed": {"en": "Seed", "ko": "시드"},
    "compare.col.best_val_loss": {"en": "Best val loss", "ko": "최저 검증 손실"},
    "compare.col.best_val_acc": {"en": "Best val accuracy", "ko": "최고 검증 정확도"},
    "compare.col.test_acc": {"en": "Test accuracy", "ko": "테스트 정확도"},
    "compare.col.sharpness": {"en": "Sharpness", "ko": "날카로움"},
    "compare.col.wall_time": {"en": "Wall time (s)", "ko": "소요 시간(초)"},
    "compare.col.device": {"en": "Device", "ko": "장치"},
    "compare.sharpness_help": {
        "en": "Top eigenvalue of the training loss's Hessian at the final weights (measured on the Sharpness page; "
              "blank when not measured).",
        "ko": "최종 가중치에서 학습 손실 헤시안의 최대 고윳값입니다 (날카로운 최소점 페이지에서 측정하며, 측정하지 "
              "않았으면 비어 있습니다)."},
    "compare.shown": {"en": "{shown} of {total} runs shown.", "ko": "실행 {total}개 중 {shown}개를 표시합니다."},
    # ------------------------------------------------------------------ picking and drawing
    "compare.pick": {"en": "Runs to compare (up to {n})", "ko": "비교할 실행 (최대 {n}개)"},
    "compare.pick_placeholder": {"en": "Choose runs", "ko": "실행을 고르세요"},
    "compare.pick_some": {"en": "Pick runs above to draw their curves.", "ko": "위에서 실행을 골라 곡선을 그리세요."},
    "compare.x_axis": {"en": "x-axis", "ko": "가로축"},
    "compare.metric": {"en": "Metric", "ko": "지표"},
    "compare.log_y": {"en": "Log y", "ko": "로그 세로축"},
    "compare.bands": {"en": "Seeds as bands", "ko": "시드는 평균과 범위로"},
    "compare.bands_help": {
        "en": "Runs that differ only by seed are drawn as their mean with a min–max band.",
        "ko": "시드만 다른 실행들은 평균 곡선과 최솟값–최댓값 띠로 그립니다."},
    "compare.smoothing": {"en": "Smoothing (EMA)", "ko": "평활화 (EMA)"},
    "compare.smoothing_help": {
        "en": "Exponential moving average of each curve, as in TensorBoard: 0 draws the values as they are.",
        "ko": "TensorBoard처럼 각 곡선의 지수 이동 평균을 그립니다. 0이면 값을 그대로 그립니다."},
    "compare.no_metric": {
        "en": "None of the picked runs has a {metric} (regression runs have no accuracy; runs without a validation "
              "split have no validation loss).",
        "ko": "고른 실행 중 {metric} 값이 있는 실행이 없습니다 (회귀 실행에는 정확도가 없고, 검증 데이터를 떼어 두지 "
              "않은 실행에는 검증 손실이 없습니다)."},
    # ------------------------------------------------------------------ export and manage
    "compare.export_csv": {"en": "Export CSV", "ko": "CSV로 내보내기"},
    "compare.export_json": {"en": "Export JSON", "ko": "JSON으로 내보내기"},
    "compare.not_exported": {"en": "The picked runs cannot be exported: {error}",
                             "ko": "고른 실행을 내보낼 수 없습니다: {error}"},
    "compare.manage": {"en": "Rename, tag or delete", "ko": "이름 바꾸기, 태그 달기, 삭제"},
    "compare.run": {"en": "Run", "ko": "실행"},
    "compare.name": {"en": "Name", "ko": "이름"},
    "compare.tags": {"en": "Tags (comma-separated)", "ko": "태그 (쉼표로 구분)"},
    "compare.save": {"en": "Save name and tags", "ko": "이름과 태그 저장"},
    "compare.not_saved": {"en": "Could not save: {error}", "ko": "저장하지 못했습니다: {error}"},
    "compare.not_deleted": {"en": "Nothing was deleted: {error}", "ko": "아무것도 지우지 않았습니다: {error}"},
    "compare.sure": {"en": "Yes, delete the {n} picked run(s) for good",
                     "ko": "네, 고른 실행 {n}개를 영구히 삭제합니다"},
    "compare.delete": {"en": "Delete picked runs", "ko": "고른 실행 삭제"},
    "compare.deleted": {"en": "Deleted {n} run(s).", "ko": "실행 {n}개를 삭제했습니다."},
}

CORE: dict[str, str] = {  # core/store.py
    # where a problem is: a run, a row, a field, a CSV line
    "store.the_run": "실행",
    "store.run_number": "실행 {number}",
    "store.run_id": "실행 {run!r}",
    "store.row": "{where}: {number}행",
    "store.field": "{where}: {field!r}",
    "store.csv_field": "CSV {number}행: {field!r}",
    "store.step_loss": "{where}: 스텝 손실 {number}",
    "store.version_of": "{where}: {library!r}의 버전",
    "store.the_name": "이름",
    "store.the_tags": "태그",
    "store.a_tag": "{what}: 태그 값",
    "store.few": "{names} 외 {more}개",
    "store.at": "{where}: {error}",
    # the store file
    "store.no_folder": "실행 저장소 {path}의 폴더를 만들 수 없습니다: {error}.",
    "store.other_program":
        "{path}은(는) 다른 프로그램의 SQLite 데이터베이스이며 Batch Lab 실행 저장소가 아닙니다. 다른 파일을 고르세요.",
    "store.newer_schema":
        "실행 저장소 {path}은(는) 스키마 {version}으로 기록되었습니다. 이 Batch Lab은 스키마 {schema}를 읽습니다.",
    "store.not_a_database":
        "{path}은(는) Batch Lab 실행 저장소가 아닙니다 (읽을 수 있는 SQLite 데이터베이스가 아닙니다). "
        "다른 파일을 고르세요.",
    "store.unusable": "실행 저장소 {path}을(를) 쓸 수 없습니다: {error}.",
    "store.unreadable_settings": "저장된 실행 {run}의 설정을 이 Batch Lab이 읽을 수 없습니다: {error}",
    "store.unknown_id": "id가 {run!r}인 저장된 실행이 없습니다.",
    "store.reference_read_only":
        "실행 {run}은(는) Batch Lab에 함께 들어 있는 기준 실행이라 "
        "누구도 이름을 바꾸거나 태그를 달거나 지울 수 없습니다. 같은 설정으로 학습하면 내 실행이 생깁니다.",
    "store.not_yours":
        "실행 {run}은(는) 다른 사람의 것입니다. 학습한 사람만 이름을 바꾸거나 태그를 달거나 지울 수 있습니다.",
    "store.not_yours_room":
        "실행 {run}은(는) 다른 사람의 것입니다. 학습한 사람이나 방 {room}의 교사만 이름을 바꾸거나 태그를 달거나 "
        "지울 수 있습니다.",
    "store.damaged":
        "실행 저장소 {path}이(가) 손상되어 있었습니다 ({problem}). 그 파일은 {aside}(으)로 보관하고 "
        "비어 있는 새 저장소를 시작했습니다.",
    "store.full": "실행 저장소 {path}이(가) 가득 찼습니다 (디스크, 또는 BATCHLAB_STORE_MAX_MB 한도): {error}.",
    "store.not_running": "저장된 실행 {run}은(는) 더 이상 학습 중이 아닙니다.",
    "store.interrupted":
        "이 실행이 학습하는 동안 서버가 멈췄습니다. 저장되어 있던 {epochs} 에폭은 남아 있습니다. "
        "끝까지 돌리려면 다시 학습하세요.",
    # reading a file
    "store.file_too_big": "파일이 {size:.1f} MB인데 이 서버는 최대 {cap} MB까지 가져옵니다 (BATCHLAB_MAX_UPLOAD_MB).",
    "store.not_utf8": "파일이 UTF-8 텍스트가 아닙니다 ({byte}번째 바이트를 읽을 수 없습니다).",
    "store.bad_json": "올바른 JSON이 아닙니다: {line}행 {column}열에서 오류가 났습니다 ({error}).",
    "store.json_too_deep": "이 JSON은 너무 깊이 중첩되어 있어 Batch Lab 실행 파일일 수 없습니다.",
    "store.json_long_number":
        "이 JSON에 {digits:,}자리가 넘는 숫자가 있습니다. Batch Lab 실행 파일에는 그런 숫자가 없습니다.",
    "store.not_runs_file": 'Batch Lab 실행 파일이 아닙니다: "format": "{format}" 항목이 있어야 합니다.',
    "store.json_schema":
        "이 실행 파일은 스키마 {schema!r}로 기록되었습니다. 이 Batch Lab은 스키마 {schemas}, {last}를 읽습니다.",
    "store.runs_not_list": "'runs'는 실행의 목록이어야 합니다.",
    "store.too_many_runs": "파일에 실행이 {runs}개 있습니다. 한 번에 최대 {cap}개까지 가져옵니다.",
    "store.bad_csv": "읽을 수 있는 CSV 파일이 아닙니다: {error} ({line}행).",
    "store.empty_csv": "CSV 파일이 비어 있습니다. 머리글 행이 있어야 합니다.",
    "store.header_lacks": "{columns} 열이 없습니다",
    "store.header_unknown": "알 수 없는 열 {columns}이(가) 있습니다",
    "store.header_repeats": "같은 열이 두 번 나옵니다",
    "store.bad_header": "CSV 머리글에 문제가 있습니다: {problem}. 실행을 하나 내보내 보면 필요한 열을 알 수 있습니다.",
    "store.csv_cells": "CSV {number}행에는 칸이 {cells}개인데 머리글에는 {header}개입니다.",
    "store.csv_too_many_runs": "파일에 실행이 {cap}개보다 많습니다. 한 번에 최대 {cap}개까지 가져옵니다.",
    "store.csv_two_values":
        "CSV {number}행: {where}의 {field!r} 값이 여기서는 {here}인데 {first}행에서는 {there}입니다. "
        "실행 하나에는 값이 하나여야 합니다.",
    "store.csv_too_many_rows": "{where}: 에폭 행이 {rows}개입니다. 최대 {cap:,}개까지 허용됩니다.",
    # checking values
    "store.not_number": "{what}은(는) 숫자여야 합니다. 입력된 값: {value}.",
    "store.number_too_large": "{what}은(는) 1.8e308 이하의 숫자여야 합니다. 입력된 값: {value}.",
    "store.not_integer": "{what}은(는) 정수여야 합니다. 입력된 값: {value}.",
    "store.out_of_range": "{what}은(는) {low}..{high} 범위여야 합니다. 입력된 값: {value}.",
    "store.not_text": "{what}은(는) 텍스트여야 합니다. 입력된 값: {value}.",
    "store.too_long": "{what}이(가) {length:,}자입니다. 최대 {cap:,}자까지 허용됩니다.",
    "store.tags_not_list": "{what}은(는) 최대 {cap}개 태그의 목록이어야 합니다.",
    "store.tag_comma": "{what}: 태그에 쉼표를 넣을 수 없습니다. 입력된 태그: {tag!r}.",
    "store.kind_bool": "true 또는 false",
    "store.kind_int": "정수",
    "store.kind_float": "숫자",
    "store.kind_ints": "';'로 구분한 정수",
    "store.bad_cell": "{what}은(는) {kind}여야 합니다. 입력된 값: {value}.",
    # checking an exported run
    "store.run_not_object":
        "{where}은(는) 'name', 'tags', 'source', 'created_at', 'versions', 'result'가 있는 객체여야 합니다.",
    "store.source": "{where}: 'source'는 'user' 또는 'reference'여야 합니다. 입력된 값: {value}.",
    "store.created_at": "{where}: 'created_at'은 유한한 시각이어야 합니다. 입력된 값: {value}.",
    "store.versions": "{where}: 'versions'는 라이브러리 버전의 객체여야 합니다.",
    "store.lacks": "{where}에 {fields} 항목이 없습니다.",
    "store.unknown_fields": "{where}에 알 수 없는 항목 {fields}이(가) 있습니다.",
    "store.result_not_object": "{where}: 'result'는 객체여야 합니다.",
    "store.config_not_object": "{where}: 'config'는 설정의 객체여야 합니다.",
    "store.status": "{where}: 'status'는 {statuses} 중 하나여야 합니다. 입력된 값: {value}.",
    "store.losses_not_list": "{where}: 'step_losses'는 숫자의 목록이어야 합니다.",
    "store.too_many_losses": "{where}: 스텝 손실이 {count:,}개입니다. 최대 {cap:,}개까지 허용됩니다.",
    "store.losses_past_steps": "{where}: 스텝 손실은 {count}개인데 'rows'의 업데이트 스텝은 {steps}개뿐입니다.",
    "store.wall_time": "{where}: 'wall_time'은 유한한 초 단위 값이어야 합니다. 입력된 값: {value}.",
    "store.sharpness": "{where}: 'sharpness'는 유한한 숫자이거나 null이어야 합니다. 입력된 값: {value}.",
    "store.sharpness_converged":
        "{where}: 'sharpness_converged'는 true, false 또는 null이어야 합니다. 입력된 값: {value}.",
    "store.converged_without_sharpness":
        "{where}: 'sharpness'가 null이면 (측정하지 않았으면) 'sharpness_converged'도 null이어야 합니다. "
        "입력된 값: {value}.",
    "store.rows_not_list": "{where}: 'rows'는 에폭 행의 목록이어야 합니다.",
    "store.too_many_rows": "{where}: 에폭 행이 {rows}개인데 설정은 {epochs}에폭만 학습합니다.",
    "store.epoch_number":
        "{where}: 'epoch'는 {number}여야 합니다 (에폭은 1, 2, 3, ...으로 셉니다). 입력된 값: {epoch}.",
    "store.row_not_finite": "{what}: {field!r}은(는) 0 이상의 유한한 숫자여야 합니다. 입력된 값: {value}.",
    "store.row_negative_loss": "{what}: {field!r}은(는) 음수일 수 없습니다. 입력된 값: {value}.",
    "store.row_accuracy":
        "{what}: {field!r}은(는) 0에서 1 사이여야 합니다 (측정하지 않았으면 NaN). 입력된 값: {value}.",
}
