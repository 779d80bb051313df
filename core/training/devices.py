"""Choosing the device to train on, in one place."""

from __future__ import annotations

import torch

from core.messages import Message, MessageError

DEVICES = ("auto", "cpu", "cuda", "mps")  # what a config may ask for; "auto" picks the fastest available


class DeviceUnavailableError(MessageError, RuntimeError):
    """An explicitly requested device does not exist on this machine."""


def available_devices() -> list[str]:
    """The devices this machine can train on, fastest kind first."""
    found = {"cuda": torch.cuda.is_available(), "mps": torch.backends.mps.is_available(), "cpu": True}
    return [name for name, ok in found.items() if ok]


def pick_device(requested: str = "auto") -> torch.device:
    """'auto' picks cuda, then mps, then cpu; an unavailable explicit choice is an error."""
    if requested == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    if requested == "cuda" and not torch.cuda.is_available():
        raise DeviceUnavailableError(Message(
            "device.no_cuda", "CUDA was requested but no CUDA GPU is available here; choose 'auto' or 'cpu'."))
    if requested == "mps" and not torch.backends.mps.is_available():
        raise DeviceUnavailableError(Message(
            "device.no_mps", "MPS was requested but this machine has no Apple GPU; choose 'auto' or 'cpu'."))
    if requested not in DEVICES:
        raise DeviceUnavailableError(Message(
            "device.unknown", "Unknown device {device!r}; choose 'auto', 'cpu', 'cuda' or 'mps'.", device=requested))
    return torch.device(requested)


def describe(device: torch.device) -> str:
    if device.type == "cuda":
        return f"cuda ({torch.cuda.get_device_name(device)})"
    return device.type
