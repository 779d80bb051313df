"""The one x-axis toggle of the pages that compare batch sizes: epochs, update steps or samples seen.

Equal epochs is the main confound of every comparison across batch sizes (a batch of 512 makes a
32nd of batch 16's updates in an epoch), so each of these pages lets the reader redraw its curves
against steps and samples too."""

import streamlit as st

from core.charts import X_AXES
from pages.ui.i18n import say, t
from pages.ui.widgets import choices

AXES = ("epoch", "step", "samples")


def x_axis_toggle(key: str, axes: tuple[str, ...] = AXES) -> str:
    """A segmented control of `axes` (AXES, or a part of it), the first chosen at first; the chosen one."""
    return str(st.segmented_control(t("ctl.x_axis"), **choices({axis: say(X_AXES[axis]) for axis in axes}),
                                    default=axes[0], required=True, key=key, help=t("ctl.x_axis_help")))
