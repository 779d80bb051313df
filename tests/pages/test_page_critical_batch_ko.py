"""The Critical batch size page in Korean (AppTest): its own strings and core's messages translated."""



PAGE = "pages/7_Critical_Batch.py"



def test_the_critical_batch_page_reads_in_korean(open_page):
    at = open_page(PAGE, "한국어")
    assert not at.exception
    assert at.title[0].value == "임계 배치 크기"
    assert [h.value for h in at.header] == ["1 · 학습 중 그래디언트 노이즈 스케일", "2 · 목표에 닿기까지의 스텝 수"]
    assert at.number_input(key="cb_noise_batch").label == "배치 크기"
    assert at.button(key="cb_noise_run").label == "학습하며 측정"
    assert at.multiselect(key="cb_lrs").label == "가장 작은 배치 크기의 학습률"
    assert at.number_input(key="cb_budget").label == "실행당 스텝 예산"
    assert at.button(key="cb_steps_run").label == "실행"


def test_the_critical_batch_page_explains_in_korean_that_the_noise_scale_needs_two_batches(open_page):
    at = open_page(PAGE, "한국어", cb_dataset="linear", cb_noise_batch=500)  # linear keeps 800 training samples
    assert not at.exception
    assert at.error[0].value == ("노이즈 스케일을 재려면 크기 500인 배치 두 개가 한 번에 필요한데, "
                                 "학습 샘플이 800개뿐입니다. 배치 크기를 400 이하로 고르세요.")
    assert not [b for b in at.button if b.key == "cb_noise_run"]


def test_the_critical_batch_page_asks_in_korean_for_three_learning_rates(open_page):
    at = open_page(PAGE, "한국어", cb_lrs=[0.01, 0.03])
    assert not at.exception
    assert at.error[0].value == ("가장 작은 배치 크기의 최적 학습률을 격자 끝과 구별하려면 학습률을 세 개 이상 "
                                 "고르세요. 고른 수: 2.")


def test_the_critical_batch_page_fits_steps_to_target_in_korean(wait_for, progress_texts, open_page):
    at = open_page(PAGE, "한국어", cb_dataset="digits", cb_model_digits="linear", cb_optimizer="adam",
                   cb_batches=[16, 64, 256], cb_lrs=[0.003, 0.01, 0.03], cb_target_val_acc=0.9, cb_budget=400,
                   cb_seeds=1)
    assert any(c.value.startswith("실행 최대 12개, 각각 업데이트 스텝 최대 400번") for c in at.caption)
    at.button(key="cb_steps_run").click().run()
    wait_for(at, lambda a: bool(a.dataframe) and len(a.dataframe[0].value) == 3, timeout=240)
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.columns) == ["배치 크기", "목표까지 스텝 수(중앙값)", "시드별", "최적 학습률", "탐색한 학습률",
                                   "최적 학습률이 끝에", "구간"]
    assert table["배치 크기"].tolist() == [16, 64, 256]
    assert set(table["구간"]) <= {"", "완벽한 스케일링", "수확 체감", "최대 데이터 병렬성"}


def test_a_step_budget_over_the_servers_epoch_cap_is_explained_in_steps_in_korean(open_page):
    at = open_page(PAGE, "한국어", cb_batches=[16, 2048], cb_budget=2000)  # MNIST-1D: 2 updates per epoch at 2048
    assert not at.exception
    assert at.error[0].value == ("업데이트 스텝 2,000번의 예산은 배치 2048에서(에폭당 업데이트 2번) 1,000에폭이 "
                                 "걸리는데, 한 실행은 최대 500에폭입니다: 예산이나 가장 큰 배치를 줄이세요.")
    assert not [b for b in at.button if b.key == "cb_steps_run"]
