"""The Critical batch size page in Korean (AppTest): its own strings and core's messages translated."""



PAGE = "pages/7_Critical_Batch.py"



def test_the_critical_batch_page_reads_in_korean(open_page):
    at = open_page(PAGE, "한국어")
    assert not at.exception
    assert at.title[0].value == "임계 배치 크기"
    assert [h.value for h in at.header] == ["1 · 학습 중 그래디언트 노이즈 스케일", "2 · 목표에 닿기까지의 스텝 수"]
    assert at.number_input(key="cb_noise_batch").label == "배치 크기"
    assert at.button(key="cb_noise_run").label == "학습하며 측정"
    assert at.multiselect(key="cb_lrs").label == "배치 크기마다 시험할 학습률"
    assert at.button(key="cb_steps_run").label == "실행"


def test_the_critical_batch_page_explains_in_korean_that_the_noise_scale_needs_two_batches(open_page):
    at = open_page(PAGE, "한국어", cb_dataset="linear", cb_noise_batch=500)  # linear keeps 800 training samples
    assert not at.exception
    assert at.error[0].value == ("노이즈 스케일을 재려면 크기 500인 배치 두 개가 한 번에 필요한데, "
                                 "학습 샘플이 800개뿐입니다. 배치 크기를 400 이하로 고르세요.")
    assert not [b for b in at.button if b.key == "cb_noise_run"]


def test_the_critical_batch_page_asks_in_korean_for_a_batch_size_and_a_learning_rate(open_page):
    at = open_page(PAGE, "한국어", cb_lrs=[])
    assert not at.exception
    assert at.error[0].value == "배치 크기와 학습률을 하나 이상씩 고르세요."


def test_the_critical_batch_page_fits_steps_to_target_in_korean(wait_for, progress_texts, open_page):
    at = open_page(PAGE, "한국어", cb_dataset="linear", cb_optimizer="sgd", cb_epochs=10, cb_batches=[8, 32, 128],
                        cb_lrs=[0.1, 0.3], cb_target_val_loss=0.1)
    assert at.caption[-1].value == "10에폭짜리 실행 6개. 이미 저장된 실행은 다시 씁니다."
    at.button(key="cb_steps_run").click().run()
    wait_for(at, lambda a: any(text.startswith("실행 6개 중 6개 완료") for text in progress_texts(a)), timeout=150)
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.columns) == ["배치 크기", "목표까지 스텝 수", "최적 학습률", "구간"]
    assert table["배치 크기"].tolist() == [8, 32, 128]
    assert set(table["구간"]) <= {"완벽한 스케일링", "수확 체감", "최대 데이터 병렬성"}
    assert at.metric[0].label == "적합한 임계 배치 크기 B_crit"
