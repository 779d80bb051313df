"""The strings of the calculator page."""

TEXT: dict[str, dict[str, str]] = {
}
