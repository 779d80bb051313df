"""The scaling calculator page in Korean (AppTest): its texts, core's messages and the Verify runs."""

import json

PAGE = "pages/4_Calculator.py"



def test_the_calculator_reads_in_korean_with_the_rules_and_the_advice(open_page):
    at = open_page(PAGE, "한국어")
    assert not at.exception
    assert at.title[0].value == "학습률 스케일링 계산기"
    assert at.button(key="scale_example_1").label == "예시: 배치 1024, 학습률 16 → 배치 64"
    assert at.number_input(key="scale_old_batch").label == "기존 배치 크기"
    assert [s.value for s in at.subheader][:2] == ["선형 스케일링 규칙", "제곱근 규칙"]
    assert at.info[0].value.startswith("**블로그 글 002의 조언 — 법칙이 아니라 경험칙입니다.**")
    assert at.button(key="scale_verify").label == "학습으로 검증"


def test_the_adam_example_shows_malladis_rule_in_korean(open_page):
    at = open_page(PAGE, "한국어")
    at.button(key="scale_example_2").click().run()
    assert not at.exception
    assert "Adam: β와 ε까지 함께 바꾸는 제곱근 규칙 (Malladi 외 2022)" in [s.value for s in at.subheader]
    values = [m.value for m in at.markdown if m.value.startswith("기본값 β₁")]
    assert values == ["기본값 β₁ = 0.9, β₂ = 0.999, ε = 1e-8에서 시작하면: **학습률 2.82843e-05**, **β₁ 0.8**, "
                      "**β₂ 0.998**, **ε 7.07e-09**."]


def test_a_new_batch_larger_than_the_data_gets_cores_error_in_korean(open_page):
    at = open_page(PAGE, "한국어")
    at.number_input(key="scale_new_batch").set_value(5000).run()
    assert not at.exception
    assert at.error[0].value == ("'new_batch'(5000)이(가) 학습 샘플 3200개보다 큽니다. "
                                 "배치에는 학습 샘플을 최대 전부까지만 담을 수 있습니다.")


def test_verify_names_the_runs_and_the_table_columns_in_korean(wait_for, progress_texts, open_page):
    at = open_page(PAGE, "한국어")
    at.number_input(key="scale_old_batch").set_value(32)
    at.number_input(key="scale_new_batch").set_value(128)
    at.selectbox(key="scale_dataset").select("digits").run()
    at.selectbox(key="scale_model_digits").select("linear")
    at.number_input(key="scale_verify_epochs").set_value(2).run()
    at.button(key="scale_verify").click().run()
    wait_for(at, lambda a: progress_texts(a)[:1] == ["실행 5개 중 5개 완료 · 0개 실행 중, 0개 대기 중"], timeout=120)
    assert not at.exception
    table = at.dataframe[0].value
    assert table.columns.tolist() == ["실행", "배치 크기", "학습률", "워밍업 에폭", "상태", "업데이트 수",
                                      "최종 학습 손실", "최저 검증 손실", "최저 검증 손실 때의 검증 정확도"]
    assert table["실행"].tolist() == ["기존 설정", "선형 스케일링 규칙, 워밍업 없음", "선형 스케일링 규칙 + 워밍업",
                                     "제곱근 규칙", "스케일링하지 않은 학습률"]
    assert table["워밍업 에폭"].tolist() == ["0", "0", "0.111", "0", "0"]  # 5/90 of 2 epochs
    assert table["상태"].tolist() == ["완료"] * 5
    y_axis = [w for w in at.get("segmented_control") if w.label == "세로축"]
    assert [o.content for o in y_axis[0].proto.options] == ["안정적인 실행에 맞춤", "전체 범위", "로그 눈금"]


def test_a_run_far_above_the_others_is_cut_off_at_the_top_of_the_verify_chart(wait_for, progress_texts, open_page):
    at = open_page(PAGE, "한국어")
    at.number_input(key="scale_old_batch").set_value(32)
    at.number_input(key="scale_old_lr").set_value(1.0)
    at.number_input(key="scale_new_batch").set_value(512)  # the linear rule's LR 16 blows the loss up to ~25
    at.selectbox(key="scale_dataset").select("digits").run()
    at.selectbox(key="scale_model_digits").select("linear")
    at.number_input(key="scale_verify_epochs").set_value(3).run()
    at.button(key="scale_verify").click().run()
    wait_for(at, lambda a: progress_texts(a)[:1] == ["실행 5개 중 5개 완료 · 0개 실행 중, 0개 대기 중"], timeout=120)
    assert not at.exception
    note = at.caption[-1].value
    assert note.startswith("다른 곡선이 잘 보이도록 세로축을 ")
    assert ("‘선형 스케일링 규칙 + 워밍업 (배치 512 · 학습률 16)’, ‘선형 스케일링 규칙, 워밍업 없음 (배치 512 · "
            "학습률 16)’은(는) 그보다 높이 올라가") in note  # the warm-up does not save an LR of 16
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    scales = [layer["encoding"]["y"]["scale"] for layer in spec["layer"]]
    assert all(scale["clamp"] and scale["domain"][0] == 0 and scale["domain"][1] < 10 for scale in scales)
