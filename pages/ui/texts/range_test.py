"""The strings of the range_test page."""

TEXT: dict[str, dict[str, str]] = {
}
