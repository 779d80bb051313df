"""Who may change a stored run, on a server many people share with no accounts.

A run belongs to the person who made it, known by an owner id: the hash of a random secret their
browser keeps (the app never puts the secret in a link it offers for sharing, and the store never
sees the secret itself). A run made in a classroom room also belongs to that room, so its teacher
may tidy it. Reference runs, shipped with the app, are read-only for everyone. Runs saved before
runs had owners (owner NULL) stay changeable by anyone, as they were.

The store applies `refusal` to every rename, retag and delete (core/runs/store.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from core.messages import Message

SECRET_MIN_LENGTH = 16  # characters of a URL-safe secret: 96 bits or more


def owner_id(secret: str) -> str:
    """The id a person's runs are stored under: a hash of their secret, which is never stored."""
    return hashlib.sha256(f"batchlab-owner:{secret}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Editor:
    """Who asks to change stored runs: their owner id, and the rooms whose teacher key they hold."""

    owner: str
    teaches: frozenset[str] = frozenset()


def refusal(run_id: str, source: str, owner: str | None, room: str | None, editor: Editor | None) -> Message | None:
    """Why `editor` may not rename, tag or delete this run; None when they may.

    editor None is the store's own user (a notebook, a script), who may change any run but a reference run."""
    if source == "reference":
        return Message("store.reference_read_only", "Run {run} is a reference run shipped with Batch Lab: nobody "
                       "can rename, tag or delete it. Train the same settings to get a run of your own.", run=run_id)
    if editor is None or owner is None or owner == editor.owner or (room is not None and room in editor.teaches):
        return None
    if room is not None:
        return Message("store.not_yours_room", "Run {run} belongs to someone else: only the person who trained it, "
                       "or the teacher of room {room}, can rename, tag or delete it.", run=run_id, room=room)
    return Message("store.not_yours", "Run {run} belongs to someone else: only the person who trained it can "
                   "rename, tag or delete it.", run=run_id)
