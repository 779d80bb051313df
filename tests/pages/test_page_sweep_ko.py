"""The Sweep page in Korean (AppTest): its words, core's messages, a seed preset's findings and the runs table."""



PAGE = "pages/2_Sweep.py"



def test_the_sweep_page_reads_in_korean(open_page):
    at = open_page(PAGE, "한국어")
    assert not at.exception
    assert at.title[0].value == "그리드 실험"
    assert at.selectbox(key="sweep_preset").label == "실험"
    assert at.selectbox(key="sweep_preset").options[:2] == [
        "직접 고른 그리드", "블로그 글 000 · 배치 {16, 64, 256} × 학습률 {0.001, 0.01}, 20에폭, 손글씨 숫자 (8×8)"]
    assert at.multiselect(key="sweep_batches").label == "배치 크기"
    assert at.multiselect(key="sweep_lrs").label == "학습률"
    assert at.number_input(key="sweep_repeats").label == "반복 횟수 (설정당 시드 수)"
    assert at.button(key="sweep_run").label == "그리드 실험 실행"
    assert at.button(key="sweep_stop").label == "중지"
    assert at.markdown[1].value.startswith("**실행 6개** · 데이터셋 ")
    assert at.info[0].value == "**그리드 실험 실행**을 눌러 이 실행들을 학습하세요."


def test_the_servers_grid_cap_is_explained_with_cores_message_in_korean(monkeypatch, open_page):
    monkeypatch.setenv("BATCHLAB_MAX_GRID_RUNS", "3")
    at = open_page(PAGE, "한국어")
    assert not at.exception
    assert at.error[0].value.startswith("실행 6개를 요청했습니다. 이 서버는 한 번에 최대 3개까지 받습니다.")


def test_seed_001s_preset_shows_its_claims_verdicts_and_runs_table_in_korean(wait_for, progress_texts, open_page):
    at = open_page(PAGE, "한국어", sweep_preset="seed001")
    assert not at.exception
    assert at.info[0].value.startswith("**블로그 글에서 관찰한 것:** 배치 16은 에폭당 업데이트가 8배 많아")
    at.button(key="sweep_run").click().run()
    wait_for(at, lambda a: progress_texts(a)[:1] == ["실행 12개 중 12개 완료 · 0개 실행 중, 0개 대기 중"], timeout=60)
    assert not at.exception
    subheaders = [s.value for s in at.subheader]
    assert subheaders == ["블로그 글의 주장을 여기서 측정한 결과", "손실 곡선: 행 = 배치 크기, 열 = 학습한 에폭 수",
                          "배치 크기 × 학습한 에폭 수별 최저 검증 손실", "전체 실행"]  # seed 001 varies the epochs
    findings = [m.value for m in at.markdown if m.value.startswith(("✅", "❌", "⚖️", "ℹ️"))]
    assert len(findings) == 2
    assert ("5에폭 후에는 배치 16(배치 128보다 업데이트 스텝이 약 8배 많음)의 학습 손실이 더 낮습니다."
            in findings[0])
    assert "*측정값:* 배치 16: " in findings[0] and "(시드 3개에서 " in findings[0]
    assert findings[0].startswith("✅ **여기서도 나타남:**")  # every seed of batch 16 ends below every one of 128
    assert any(c.value.startswith("판단 근거: ") for c in at.caption)
    table = at.dataframe[0].value
    assert table.columns.tolist() == ["실행", "상태", "배치 크기", "학습률", "에폭", "시드", "실행한 에폭",
                                      "업데이트 스텝", "최저 검증 손실", "최종 학습 손실", "소요 시간 (초)"]
    assert table["상태"].tolist() == ["완료"] * 12
    assert table["배치 크기"].tolist() == [16] * 3 + [128] * 3 + [16] * 3 + [128] * 3
