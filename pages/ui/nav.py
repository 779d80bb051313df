"""The sidebar menu every page shows (Streamlit's own lists the home page as "app")."""

from __future__ import annotations

import streamlit as st

PAGES = [
    ("app.py", "Home (홈)", "🏠"),
    ("pages/1_Train.py", "Train (학습)", "📉"),
    ("pages/2_Sweep.py", "Sweep (그리드 실험)", "🔲"),
    ("pages/3_Compare.py", "Compare (비교)", "📊"),
    ("pages/4_Calculator.py", "Scaling calculator (스케일링 계산기)", "🧮"),
    ("pages/5_LR_Range_Test.py", "LR range test (학습률 범위 테스트)", "🔎"),
    ("pages/6_Sharpness.py", "Sharpness (날카로운 최소점)", "⛰️"),
    ("pages/7_Critical_Batch.py", "Critical batch size (임계 배치 크기)", "📐"),
]


def sidebar_nav() -> None:
    with st.sidebar:
        for path, label, icon in PAGES:
            st.page_link(path, label=label, icon=icon)
        st.divider()
