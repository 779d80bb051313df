"""The strings of the sweep page."""

TEXT: dict[str, dict[str, str]] = {
}
