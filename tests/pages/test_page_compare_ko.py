"""The Compare page in Korean: its own strings, the chart's, and core.store's import errors (AppTest)."""

import json

from core.runs.exchange import CSV_COLUMNS

PAGE = "pages/3_Compare.py"


def exported_run() -> dict:
    """One stored reference run as an export_json document (the store the app uses in this process)."""
    from pages.ui.resources import run_store

    store = run_store()
    assert store is not None
    return json.loads(store.export_json(store.runs()["id"].tolist()[:1]))


def test_the_compare_page_reads_in_korean_from_title_to_chart(open_page):
    at = open_page(PAGE, "한국어", filter_text="seed001")
    assert not at.exception
    assert at.title[0].value == "비교"
    assert at.subheader[0].value == "저장된 실행"
    assert at.caption[0].value.endswith("개 중 12개를 표시합니다.")  # 4 settings × 3 seeds
    assert at.dataframe[0].value["status"].tolist() == ["완료"] * 12
    assert at.multiselect(key="compare_pick").label == "비교할 실행 (최대 20개)"
    assert at.radio(key="compare_x").label == "가로축"
    assert at.radio(key="compare_x").options == ["에폭", "업데이트 스텝", "본 샘플 수", "경과 시간(초)"]
    assert at.selectbox(key="compare_metric").value == "val_loss"
    assert [box.label for box in at.checkbox] == ["로그 세로축", "시드는 평균과 범위로", "네, 고른 실행 4개를 "
                                                                         "영구히 삭제합니다"]
    assert [button.label for button in at.button] == ["이름과 태그 저장", "고른 실행 삭제"]
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    curves = spec["layer"][1]["encoding"]
    assert (curves["x"]["title"], curves["y"]["title"], curves["color"]["title"]) == ("에폭", "검증 손실", "학습률")


def test_the_learning_rate_legend_is_opaque_and_uses_no_near_white_colour(open_page):
    at = open_page(PAGE, "한국어", filter_text="seed001")
    band, curves = json.loads(at.get("vega_lite_chart")[0].proto.spec)["layer"]
    assert band["mark"]["fillOpacity"] == 0.18 and "opacity" not in band["mark"]  # the legend takes opacity from here
    assert curves["encoding"]["color"]["scale"]["range"][:4] == ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"]


def test_a_malformed_json_import_is_refused_in_korean(open_page):
    at = open_page(PAGE, "한국어", filter_text="no run is called this")
    assert at.info[0].value == "위에서 실행을 골라 곡선을 그리세요."
    at.file_uploader(key="compare_upload").set_value(("runs.json", b'{"format": "batchlab-runs", "runs": [',
                                                      "application/json")).run()
    at.button(key="compare_import").click().run()
    assert not at.exception
    assert at.error[0].value == ("아무것도 가져오지 않았습니다: 올바른 JSON이 아닙니다: 1행 38열에서 오류가 났습니다 "
                                 "(Expecting value).")


def test_an_import_with_a_bad_row_names_the_run_row_and_field_in_korean(open_page):
    document = exported_run()
    document["runs"][0]["result"]["rows"][1]["val_loss"] = "low"
    at = open_page(PAGE, "한국어", filter_text="no run is called this")
    before = len(at.dataframe[0].value)
    at.file_uploader(key="compare_upload").set_value(("runs.json", json.dumps(document).encode(),
                                                      "application/json")).run()
    at.button(key="compare_import").click().run()
    assert not at.exception
    assert at.error[0].value == ("아무것도 가져오지 않았습니다: 실행 1: 2행: 'val_loss'은(는) 숫자여야 합니다. "
                                 "입력된 값: 'low'.")
    assert len(at.dataframe[0].value) == before


def test_a_csv_without_the_val_acc_column_is_refused_in_korean(open_page):
    header = ",".join(column for column in CSV_COLUMNS if column != "val_acc")
    at = open_page(PAGE, "한국어", filter_text="no run is called this")
    at.file_uploader(key="compare_upload").set_value(("runs.csv", f"{header}\n".encode(), "text/csv")).run()
    at.button(key="compare_import").click().run()
    assert not at.exception
    assert at.error[0].value == ("아무것도 가져오지 않았습니다: CSV 머리글에 문제가 있습니다: val_acc 열이 없습니다. "
                                 "실행을 하나 내보내 보면 필요한 열을 알 수 있습니다.")
