import pytest

from core.experiments.presets import presets
from core.experiments.reference import load_reference_runs
from core.runs.store import RunStore
from core.training.engine import train


@pytest.fixture
def store(store) -> RunStore:
    """The fresh store, with the shipped reference runs loaded."""
    load_reference_runs(store)
    return store


def test_the_reference_runs_hold_every_seed_presets_runs(store):
    runs = store.runs()
    assert set(runs["source"]) == {"reference"}
    stored_keys = set(runs["key"])
    for name, preset in presets().items():
        if name == "seed000" and preset.configs[0].dataset == "cifar10":
            continue  # the shipped file was made offline, with digits
        assert {c.key for c in preset.configs} <= stored_keys, name


def test_the_reference_runs_are_loaded_once(store):
    count = store.count()
    assert load_reference_runs(store) == 0
    assert store.count() == count


def test_a_reference_run_is_what_the_engine_trains(store):
    config = presets()["seed001"].configs[1]  # 5 epochs at batch 128: quick
    stored = store.find(config)
    fresh = train(config)
    assert stored.result.history.drop(columns="time_s").equals(fresh.history.drop(columns="time_s"))
    assert stored.result.step_losses == fresh.step_losses
