"""The LR range test page in Korean (AppTest): its words, a core error and a finished range test."""



PAGE = "pages/5_LR_Range_Test.py"



def test_the_range_test_page_reads_in_korean(open_page):
    at = open_page(PAGE, "한국어")
    assert not at.exception
    assert at.title[0].value == "학습률 범위 테스트"
    assert at.number_input(key="lr_start").label == "시작 학습률"
    assert at.number_input(key="lr_end").label == "끝 학습률"
    assert at.multiselect(key="lr_batches").label == "배치 크기"
    assert at.button(key="lr_run").label == "범위 테스트 실행"


def test_the_range_test_page_rejects_a_start_above_the_end_in_korean(open_page):
    at = open_page(PAGE, "한국어")
    at.number_input(key="lr_start").set_value(0.5)
    at.number_input(key="lr_end").set_value(0.1).run()
    assert not at.exception
    assert at.error[0].value == "시작 학습률(0.5)은 끝 학습률(0.1)보다 작아야 합니다."


def test_a_batch_larger_than_the_data_is_refused_with_cores_message_in_korean(open_page):
    at = open_page(PAGE, "한국어")
    at.selectbox(key="lr_dataset").select("linear").run()
    at.multiselect(key="lr_batches").set_value([1024]).run()
    assert not at.exception
    assert "'linear'의 학습 샘플 800개" in at.error[0].value
    assert not [b for b in at.button if b.key == "lr_run"]


def test_a_finished_range_test_shows_its_table_with_korean_headers_and_suggestion_names(
        wait_for, progress_texts, open_page):
    at = open_page(PAGE, "한국어")
    at.selectbox(key="lr_dataset").select("linear").run()
    at.selectbox(key="lr_optimizer").select("sgd")
    at.multiselect(key="lr_batches").set_value([16]).run()
    at.button(key="lr_run").click().run()
    wait_for(at, lambda a: progress_texts(a)[:1] == ["실행 1개 중 1개 완료 · 0개 실행 중, 0개 대기 중"], timeout=120)
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.columns) == ["범위 테스트", "학습한 배치 수", "최솟값의 4배에서 멈춤",
                                   "골짜기(valley)", "가장 가파른 하강", "최소점 / 10", "범위 끝"]
    assert table["범위 테스트"].tolist() == ["배치 16"]
    assert table["최솟값의 4배에서 멈춤"].tolist() == [True]  # LR 10 diverges on this problem
    assert any(m.value.startswith("- **골짜기(valley)**") for m in at.markdown)  # one line per suggestion
    assert len(at.get("vega_lite_chart")) == 1
