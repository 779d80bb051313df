"""The terms the app uses, in English and Korean."""

import pandas as pd
import streamlit as st

from pages.ui.i18n import current, t
from pages.ui.nav import sidebar_nav

# (English term, Korean term, meaning in English, meaning in Korean)
GLOSSARY = [
    ("Epoch", "에폭", "One full pass over the training data.", "학습 데이터 전체를 한 번 모두 학습하는 것."),
    ("Batch", "배치", "The samples used together for one weight update.", "가중치를 한 번 업데이트할 때 함께 쓰는 샘플 묶음."),
    ("Batch size (B)", "배치 크기", "How many samples a batch holds.", "배치 하나에 든 샘플 수."),
    ("Update step", "스텝", "One gradient step on one batch; an epoch has ⌈N / B⌉ of them.",
     "배치 하나로 하는 경사 하강 한 번. 한 에폭에 ⌈N / B⌉번."),
    ("Learning rate (η)", "학습률", "How far each update step moves the weights.", "한 스텝에 가중치를 움직이는 크기."),
    ("Loss", "손실", "What training minimises: mean squared error or cross-entropy here.",
     "학습이 줄이려는 값. 여기서는 평균제곱오차 또는 교차 엔트로피."),
    ("Validation set", "검증 세트", "Data held out from training to measure generalization.",
     "일반화를 재기 위해 학습에서 떼어 둔 데이터."),
    ("Overfitting", "과적합", "Training loss keeps falling while validation loss rises.",
     "학습 손실은 계속 줄지만 검증 손실은 오르는 상태."),
    ("Underfitting", "과소적합", "Both losses stay high: too little training or too small a model.",
     "두 손실이 모두 높은 상태. 학습이 부족하거나 모델이 너무 작음."),
    ("Generalization", "일반화", "How well a model does on data it was not trained on.",
     "학습하지 않은 데이터에서 모델이 얼마나 잘 하는지."),
    ("Generalization gap", "일반화 격차", "Validation loss minus training loss.", "검증 손실에서 학습 손실을 뺀 값."),
    ("Optimizer", "옵티마이저", "The rule that turns gradients into weight updates (SGD, Adam, …).",
     "그래디언트로 가중치를 바꾸는 규칙 (SGD, Adam 등)."),
    ("Momentum", "모멘텀", "SGD that keeps a running average of past gradients.", "지난 그래디언트의 이동 평균을 함께 쓰는 SGD."),
    ("Weight decay", "가중치 감쇠", "A pull of the weights towards zero (L2 regularization).",
     "가중치를 0 쪽으로 당기는 규제 (L2 정규화)."),
    ("Early stopping", "조기 종료", "Stop when the validation loss stops improving.", "검증 손실이 더 나아지지 않으면 학습을 멈추는 것."),
    ("Divergence", "발산", "The loss grows without bound, usually because the learning rate is too large.",
     "손실이 끝없이 커지는 것. 보통 학습률이 너무 커서 생김."),
    ("Linear scaling rule", "선형 스케일링 규칙", "Multiply the learning rate by k when the batch grows k times.",
     "배치를 k배 키우면 학습률도 k배."),
    ("Square-root rule", "제곱근 규칙", "Multiply the learning rate by √k when the batch grows k times.",
     "배치를 k배 키우면 학습률은 √k배."),
    ("Warm-up", "워밍업", "Raise the learning rate gradually over the first epochs.", "처음 몇 에폭 동안 학습률을 서서히 올리는 것."),
    ("LR range test", "학습률 범위 테스트", "A short run with a growing learning rate, to see which rates work.",
     "학습률을 키워 가며 짧게 학습해 쓸 만한 학습률 범위를 찾는 것."),
    ("Gradient noise scale", "그래디언트 노이즈 스케일", "B_simple = tr(Σ)/|G|²: gradient noise over signal.",
     "B_simple = tr(Σ)/|G|²: 그래디언트의 노이즈 대 신호 비."),
    ("Critical batch size", "임계 배치 크기", "Beyond it, a bigger batch barely cuts the steps needed.",
     "이보다 배치를 키워도 필요한 스텝 수가 거의 줄지 않는 크기."),
    ("Sharpness", "날카로움", "The top eigenvalue of the loss's Hessian: how steeply the loss curves.",
     "손실 헤시안의 최대 고윳값: 손실이 얼마나 가파르게 휘는지."),
    ("Edge of stability", "안정성 경계", "Gradient descent diverges where sharpness exceeds 2/η.",
     "날카로움이 2/η를 넘으면 경사 하강법이 발산함."),
    ("Seed", "시드", "The number that fixes the random start: same seed, same run.", "무작위 시작을 고정하는 수. 같은 시드면 같은 결과."),
    ("Samples seen", "본 샘플 수", "Training samples processed so far: steps × batch size.", "지금까지 처리한 학습 샘플 수: 스텝 × 배치 크기."),
]

sidebar_nav("pages/8_Glossary.py")
st.title(t("glossary.title"))
st.write(t("glossary.intro"))
korean = current() == "ko"
st.dataframe(pd.DataFrame([{t("glossary.term"): f"{ko} ({en})" if korean else f"{en} ({ko})",
                            t("glossary.meaning"): ko_meaning if korean else en_meaning}
                           for en, ko, en_meaning, ko_meaning in GLOSSARY]),
             hide_index=True, width="stretch", height="content", key="glossary")
