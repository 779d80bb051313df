"""The pinned install: every requirement is in requirements-lock.txt, at a version its range admits.

A fresh clone installs through the lock (requirements.txt applies it with -c), so a dependency
added to a requirements file without a pin here would reach CI at whatever version is newest
that day (how pytest 9 broke a clean clone once)."""

from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENT_FILES = ("requirements.txt", "requirements-dev.txt", "requirements-ray.txt", "requirements-cloud.txt")


def requirements(name: str) -> list[Requirement]:
    """The packages a requirements file names itself (not its -r, -c, -e or index options)."""
    lines = (line.split("#", 1)[0].strip() for line in (ROOT / name).read_text().splitlines())
    return [Requirement(line) for line in lines if line and not line.startswith("-")]


def locked() -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for line in (ROOT / "requirements-lock.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = Version(version)
    return pins


def test_the_lock_pins_every_package_exactly_once():
    lines = [line for line in (ROOT / "requirements-lock.txt").read_text().splitlines()
             if line and not line.startswith("#")]
    assert all(line.count("==") == 1 for line in lines), [line for line in lines if line.count("==") != 1]
    assert len(lines) == len(locked())


@pytest.mark.parametrize("name", REQUIREMENT_FILES)
def test_every_requirement_is_pinned_in_the_lock_within_its_range(name):
    pins = locked()
    unpinned = [str(r) for r in requirements(name) if canonicalize_name(r.name) not in pins]
    assert unpinned == []
    # The CPU-only build's "2.14.1+cpu" is the lock's 2.14.1: compare public versions.
    outside = [f"{r} (lock: {pins[canonicalize_name(r.name)]})" for r in requirements(name)
               if not any(Version(s.version).public == str(pins[canonicalize_name(r.name)]) for s in r.specifier
                          if s.operator == "==")
               and not r.specifier.contains(pins[canonicalize_name(r.name)], prereleases=True)]
    assert outside == []


@pytest.mark.parametrize("name", ("requirements.txt", "requirements-cloud.txt"))
def test_the_app_requirements_apply_the_lock(name):
    assert "-c requirements-lock.txt" in (ROOT / name).read_text()
