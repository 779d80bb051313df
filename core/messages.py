"""Sentences core shows the user, kept translatable without core knowing about languages.

A `Message` is a key, its English template and the values to fill in. `str(message)` is
the English sentence, so a notebook or a script reads core's messages as before; the app
looks the key up in its Korean table (pages/ui/texts) and fills the same values in. A
value may itself be a Message (a word or a clause that needs translating too).

    raise ConfigError(Message("config.no_training_samples",
                              "No training samples are left: ...", max_samples=..., val_fraction=...))

tests/test_i18n.py reads every Message(...) in core and fails when a key has no Korean.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

Translate = Callable[["Message"], "str | None"]  # a key's template in another language, or None
Text = Callable[["Message"], str]  # a Message in the reader's language; str gives English


class Message:
    """A user-visible sentence: `key`, its English `template`, and the `values` it names."""

    __slots__ = ("key", "template", "values")

    def __init__(self, key: str, template: str, **values: Any) -> None:
        self.key, self.template, self.values = key, template, values

    def render(self, translate: Translate | None = None) -> str:
        """The sentence, in the language `translate` gives (English where it gives none).

        A translation the values do not fit (an imported file may carry any values under a known
        key) gives the English sentence instead of an error."""
        values = {name: value.render(translate) if isinstance(value, Message) else value
                  for name, value in self.values.items()}
        template = translate(self) if translate else None
        if template:
            try:
                return template.format(**values)
            except (KeyError, IndexError, ValueError, TypeError, AttributeError):
                pass
        return self.template.format(**values)

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"Message({self.key!r}, {str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.key, self.template, self.values) == (
            other.key, other.template, other.values)

    def __hash__(self) -> int:
        return hash((self.key, self.template))

    def __reduce__(self) -> tuple[Callable[[dict[str, Any]], Message], tuple[dict[str, Any]]]:
        # slots and keyword values: pickle through a plain dict
        return from_dict, (self.to_dict(),)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "template": self.template,
                "values": {k: v.to_dict() if isinstance(v, Message) else v for k, v in self.values.items()}}

    def to_json(self) -> str:
        """For the run store: the message and its values, so a stored run's message translates too."""
        return json.dumps(self.to_dict(), ensure_ascii=False)


def from_dict(d: dict[str, Any]) -> Message:
    """The Message that Message.to_dict wrote."""
    values = {k: from_dict(v) if isinstance(v, dict) and "template" in v else v for k, v in d["values"].items()}
    return Message(d["key"], d["template"], **values)


def from_text(text: str) -> Message | str:
    """The Message a store column holds (written by Message.to_json), or the plain text itself."""
    if not text.startswith('{"key"'):
        return text
    try:
        d = json.loads(text)
        message = from_dict(d)
        str(message)  # a template and values that do not fit are plain text, not a crash later
        return message
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return text


def as_text(message: Message | str) -> str:
    """What a store column keeps: a Message as JSON, plain text as it is."""
    return message.to_json() if isinstance(message, Message) else message


def reason(error: BaseException) -> Message | str:
    """What went wrong, for the user: the error's Message where it carries one (so it translates),
    else its text, else its type's name."""
    if isinstance(error, MessageError):
        return error.message
    return str(error) or type(error).__name__


class MessageError(Exception):
    """An error whose text is a Message, so the app can show it in the user's language."""

    def __init__(self, message: Message | str) -> None:
        self.message = message
        super().__init__(str(message))

    def __reduce__(self) -> tuple[type[MessageError], tuple[Message | str]]:
        # crosses process boundaries (worker -> server) with its Message
        return type(self), (self.message,)
