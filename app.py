"""Batch Lab home: the words the app uses, a steps-per-epoch calculator, and the way to each page."""

import streamlit as st

from core.config import updates_per_epoch
from pages.ui.nav import sidebar_nav
from pages.ui.resources import job_pool

st.set_page_config(page_title="Batch Lab", page_icon="🧪", layout="wide")
sidebar_nav()
job_pool()  # start the training workers now, so the first Train is quick

st.title("Batch Lab 🧪")
st.subheader("How batch size, learning rate and epochs shape training · 배치 크기, 학습률, 에폭이 학습을 바꾸는 방식")
st.write(
    "Batch Lab trains small neural networks live, so that you can *see* what the three most talked-about "
    "hyperparameters do. It is made for students, for teachers running a classroom demo, and for "
    "practitioners checking an intuition before a large run.")

st.header("Four words (네 가지 용어)")
col1, col2 = st.columns(2)
with col1:
    st.markdown(
        "**Epoch (에폭)** — one full pass over the training data. With `epochs=10` every sample is seen ten times.\n\n"
        "**Batch (배치)** — the samples used together for one weight update. The batch size B says how many.")
with col2:
    st.markdown(
        "**Update step (스텝)** — one gradient step on one batch. An epoch has ⌈N / B⌉ of them: "
        "2,000 samples with batch 100 give **20 steps per epoch**; 320 samples with batch 32 give 10, "
        "so 10 epochs make 100 updates.\n\n"
        "**Learning rate (학습률)** — how far each step moves the weights. Too small and training crawls; "
        "too large and the loss jumps about or diverges.")

st.header("Steps per epoch calculator (스텝 계산기)")
c1, c2, c3 = st.columns(3)
n = c1.number_input("Training samples N", min_value=1, value=2000, step=100, key="calc_n")
b = c2.number_input("Batch size B", min_value=1, value=100, step=1, key="calc_b")
e = c3.number_input("Epochs E", min_value=1, value=10, step=1, key="calc_e")
if b > n:
    st.error(f"A batch of {b} is larger than the {n} samples: each epoch would be a single update on all "
             f"{n} samples. Choose a batch size of at most N.", icon="🚫")
else:
    per_epoch = updates_per_epoch(int(n), int(b))
    m1, m2, m3 = st.columns(3)
    m1.metric("Updates per epoch", f"{per_epoch:,}")
    m2.metric("Updates in total", f"{per_epoch * e:,}")
    last = n - (per_epoch - 1) * b
    m3.metric("Last batch of each epoch", f"{last:,} samples")
    if last != b:
        st.caption(f"{n} is not a multiple of {b}: the last batch is smaller ({last}) but still counts as an update.")

st.header("Pages")
st.page_link("pages/1_Train.py", label="**Train** — pick the settings, train live, stop any time", icon="📉")
st.page_link("pages/2_Sweep.py", label="**Sweep** — a grid of batch sizes × learning rates, or a seed post's "
             "experiment, side by side", icon="🧮")
st.page_link("pages/3_Compare.py", label="**Compare** — overlay stored runs against epochs, steps, samples or "
             "time; export and import them", icon="📊")
