"""Who may change a stored run: its owner, its room's teacher, nobody for a reference run."""

import json

import pytest

from core.runs.ownership import Editor, owner_id
from core.runs.stored import StoreError
from core.training.config import TrainConfig
from core.training.engine import train

ALICE, BOB = owner_id("alice-secret-0123456789"), owner_id("bob-secret-0123456789ab")
RUN = TrainConfig(dataset="linear", model="linear", optimizer="sgd", learning_rate=0.1, batch_size=32, epochs=1)


@pytest.fixture(scope="module")
def result():
    return train(RUN)


def test_an_owner_id_is_a_hash_of_the_secret_and_never_the_secret():
    assert owner_id("alice-secret-0123456789") == ALICE and ALICE != BOB
    assert len(ALICE) == 32 and "alice" not in ALICE


def test_the_owner_renames_tags_and_deletes_their_own_run(store, result):
    run_id = store.save(result, owner=ALICE)
    store.rename(run_id, "mine", Editor(ALICE))
    store.set_tags(run_id, ("a",), Editor(ALICE))
    assert (store.get(run_id).name, store.get(run_id).tags, store.get(run_id).owner) == ("mine", ("a",), ALICE)
    assert store.delete([run_id], Editor(ALICE)) == 1 and store.count() == 0


@pytest.mark.parametrize("action", ["rename", "tag", "delete"])
def test_someone_else_cannot_change_a_run_and_is_told_why(store, result, action):
    run_id = store.save(result, name="alice's", owner=ALICE)
    other = store.save(result, owner=BOB)
    with pytest.raises(StoreError) as error:
        if action == "rename":
            store.rename(run_id, "taken", Editor(BOB))
        elif action == "tag":
            store.set_tags(run_id, ("taken",), Editor(BOB))
        else:
            store.delete([other, run_id], Editor(BOB))  # all or none: Bob's own run stays too
    assert str(error.value) == (f"Run {run_id} belongs to someone else: only the person who trained it can "
                                f"rename, tag or delete it.")
    assert (store.get(run_id).name, store.get(run_id).tags, store.count()) == ("alice's", (), 2)


def test_the_teacher_of_a_runs_room_may_change_it_and_a_teacher_of_another_room_may_not(store, result):
    run_id = store.save(result, owner=ALICE, room="KX4P")
    with pytest.raises(StoreError, match="only the person who trained it, or the teacher of room KX4P"):
        store.rename(run_id, "x", Editor(BOB, frozenset({"QQ7M"})))
    store.rename(run_id, "tidied", Editor(BOB, frozenset({"KX4P"})))
    assert store.get(run_id).name == "tidied"


@pytest.mark.parametrize("editor", [None, Editor(ALICE), Editor(BOB, frozenset({"KX4P"}))])
def test_a_reference_run_is_read_only_for_everyone(store, result, editor):
    run_id = store.save(result, name="seed001", source="reference")
    for change in (lambda: store.rename(run_id, "x", editor), lambda: store.set_tags(run_id, ("x",), editor),
                   lambda: store.delete([run_id], editor)):
        with pytest.raises(StoreError, match=f"Run {run_id} is a reference run shipped with Batch Lab: nobody can"):
            change()
    assert (store.get(run_id).name, store.get(run_id).tags) == ("seed001", ())


def test_a_run_saved_before_runs_had_owners_can_be_changed_by_anyone(store, result):
    run_id = store.save(result)
    store.rename(run_id, "anyone's", Editor(BOB))
    assert store.get(run_id).name == "anyone's"


def test_imported_runs_are_the_importers_and_an_export_carries_no_owner(store, result):
    exported = store.export_json([store.save(result, owner=ALICE, room="KX4P")])
    assert ALICE not in exported and "KX4P" not in exported and "owner" not in json.loads(exported)["runs"][0]
    imported = store.get(store.import_json(exported, owner=BOB)[0])
    assert (imported.owner, imported.room) == (BOB, None)
    assert store.get(store.import_csv(store.export_csv([imported.id]), owner=ALICE)[0]).owner == ALICE


def test_a_run_saved_while_training_keeps_its_owner_and_room_when_it_completes(store, result):
    run_id = store.begin(result, owner=ALICE, room="KX4P")
    store.complete(run_id, result)
    assert (store.get(run_id).owner, store.get(run_id).room) == (ALICE, "KX4P")
