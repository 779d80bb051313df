"""Reference runs shipped with the app: every seed preset, trained once by this script.

A class opening the app sees each preset's curves at once, without training. The file is
made by running the presets through the engine, never typed by hand; regenerate it with

    python -m core.experiments.reference

(Seed 000's preset uses CIFAR-10 when its files are in the data folder, else digits; the
shipped file was made offline, with digits.)
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from core.experiments.presets import presets
from core.runs.store import RunStore
from core.runs.tables import run_label
from core.training.engine import train

REFERENCE_FILE = Path(__file__).resolve().parent / "reference_runs.json"


def generate(path: Path = REFERENCE_FILE) -> int:
    """Train every preset's runs (each setting with the presets' REFERENCE_SEEDS) and write them to `path`
    as a run-store export."""
    with tempfile.TemporaryDirectory() as tmp:
        store = RunStore(Path(tmp) / "reference.sqlite")
        ids, seen = [], set()
        for preset in presets().values():
            for config in preset.configs:
                if config.key in seen:
                    continue
                seen.add(config.key)
                result = train(config)
                label = run_label(config, with_epochs=True, with_seed=True)
                ids.append(store.save(result, name=f"{preset.name}: {label}", tags=("reference", preset.name),
                                      source="reference"))
                print(f"{preset.name:16} {label:38} {result.status:9} {result.wall_time:5.1f} s", flush=True)
        path.write_text(store.export_json(ids))
    return len(ids)


def load_reference_runs(store: RunStore, path: Path = REFERENCE_FILE) -> int:
    """Import the shipped reference runs into `store` unless it has them already; returns how many."""
    runs = store.runs()
    if (runs["source"] == "reference").any() or not path.exists():
        return 0
    return len(store.import_json(path.read_text()))


if __name__ == "__main__":
    print(f"wrote {generate()} runs to {REFERENCE_FILE}")
