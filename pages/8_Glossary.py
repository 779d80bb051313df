"""The terms the app uses, in English and Korean."""

import pandas as pd
import streamlit as st

from pages.ui.i18n import current, t
from pages.ui.page import page
from pages.ui.texts.glossary import GLOSSARY

view = page("pages/8_Glossary.py")
korean = current() == "ko"
st.dataframe(pd.DataFrame([{t("glossary.term"): f"{ko} ({en})" if korean else f"{en} ({ko})",
                            t("glossary.meaning"): ko_meaning if korean else en_meaning}
                           for en, ko, en_meaning, ko_meaning in GLOSSARY]),
             hide_index=True, width="stretch", height="content", key="glossary")
view.end()
