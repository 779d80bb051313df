"""A claim's verdict as the Sweep and Sharpness pages show it: icon, verdict, claim, the numbers, the rule."""

import streamlit as st

from core.experiments.findings import Finding, Outcome
from pages.ui.i18n import say, t

VERDICT = {Outcome.HELD: ("✅", "finding.verdict_held"), Outcome.NOT_HELD: ("❌", "finding.verdict_not_held"),
           Outcome.UNDECIDED: ("⚖️", "finding.verdict_undecided"), Outcome.MISSING: ("ℹ️", "finding.verdict_open")}


def draw_finding(finding: Finding) -> None:
    icon, verdict = VERDICT[finding.outcome]
    st.markdown(t("finding.line", icon=icon, verdict=t(verdict), claim=say(finding.claim),
                  evidence=say(finding.evidence)))
    if finding.why is not None:
        st.caption(t("finding.why", why=say(finding.why)))
