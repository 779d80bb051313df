"""The strings of the sharpness page."""

TEXT: dict[str, dict[str, str]] = {
}
