"""Batch Lab home: the words the app uses, a steps-per-epoch calculator, and the way to each page."""

import streamlit as st

from core.experiments.presets import presets
from core.training.config import updates_per_epoch
from pages.ui.i18n import say, t
from pages.ui.nav import PAGES, TEACHING_ORDER, link
from pages.ui.page import page
from pages.ui.resources import job_pool
from pages.ui.widgets import bounds

view = page("app.py")
job_pool()  # start the training workers now, so the first Train is quick
PRESETS = presets()

st.header(t("home.start"))
student, teacher, practitioner = st.columns(3)
student.markdown(t("home.student"))
link("pages/1_Train.py", t("home.student_train"), "📉", student)
link("pages/2_Sweep.py", t("home.student_preset"), "🔲", student, sweep_preset="seed001")
teacher.markdown(t("home.teacher"))
for number, name in enumerate(TEACHING_ORDER, 1):
    link("pages/2_Sweep.py", f"{number}. {say(PRESETS[name].title)}", "🔲", teacher, sweep_preset=name)
practitioner.markdown(t("home.practitioner"))
for path in ("pages/4_Calculator.py", "pages/5_LR_Range_Test.py", "pages/7_Critical_Batch.py"):
    key, icon = next((key, icon) for script, key, icon, _ in PAGES if script == path)
    link(path, t(key), icon, practitioner)

st.header(t("home.words"))
col1, col2 = st.columns(2)
col1.markdown(t("home.epoch_batch"))
col2.markdown(t("home.step_lr"))

st.header(t("home.calculator"))
c1, c2, c3 = st.columns(3)  # mirrored in the link (?calc_n=320&calc_b=32), as on the other pages
n = c1.number_input(t("home.n"), min_value=1, value=2000, step=100, key="calc_n", bind="query-params")
b = c2.number_input(t("home.b"), **bounds("batch_size"), value=100, step=1, key="calc_b", bind="query-params")
e = c3.number_input(t("home.e"), **bounds("epochs"), value=10, step=1, key="calc_e", bind="query-params")
if b > n:
    st.error(t("home.too_big", b=b, n=n), icon="🚫")
else:
    per_epoch = updates_per_epoch(int(n), int(b))
    last = n - (per_epoch - 1) * b
    m1, m2, m3 = st.columns(3)
    m1.metric(t("home.per_epoch"), f"{per_epoch:,}")
    m2.metric(t("home.total"), f"{per_epoch * e:,}")
    m3.metric(t("home.last_batch"), t("home.samples", n=f"{last:,}"))
    if last != b:
        st.caption(t("home.partial", n=n, b=b, last=last))

st.header(t("home.pages"))
for path, key, icon, _ in PAGES[1:]:
    link(path, f"**{t(key)}** — {t('home.page.' + key.split('.', 1)[1])}", icon)
view.end()
