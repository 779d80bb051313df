"""The strings of the compare page."""

TEXT: dict[str, dict[str, str]] = {
}
