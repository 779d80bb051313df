"""The strings of the critical_batch page."""

TEXT: dict[str, dict[str, str]] = {
}
