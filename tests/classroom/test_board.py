"""The class board's table: one curve per entry, named by setting or by student, names hidden on request."""

from core.classroom.board import board_runs, board_table, signature
from core.classroom.rooms import Entry
from core.training.config import TrainConfig
from core.training.engine import train
from core.training.record import Status

SMALL = TrainConfig(dataset="digits", model="linear", epochs=2, batch_size=32)
LARGE = TrainConfig(dataset="digits", model="linear", epochs=2, batch_size=256)


def entry(nickname: str, config: TrainConfig) -> Entry:
    return Entry(nickname, "train", config.key, config, 0.0)


def test_the_board_draws_each_entry_that_has_epochs_and_names_curves_by_setting_or_by_student():
    results = {SMALL.key: train(SMALL), LARGE.key: train(LARGE)}

    class Found:  # what the board looks up: a run with an id, config, status and rows
        def __init__(self, config):
            result = results.get(config.key)
            self.id, self.config, self.status = config.key[:8], config, Status.COMPLETED
            self.rows, self.wall_time = (result.rows if result else []), 1.0

    entries = [entry("Mina", SMALL), entry("Joon", LARGE), entry("Mina", LARGE),
               entry("Sora", TrainConfig(dataset="digits", model="linear", epochs=2, batch_size=64))]
    runs = board_runs(entries, lambda e: Found(e.config))
    assert [r.nickname for r in runs] == ["Mina", "Joon", "Mina"]  # Sora's run has no epochs yet
    assert all("Mina" not in r.id and "Joon" not in r.id for r in runs)
    by_setting = board_table(runs, "val_loss")
    assert sorted(set(by_setting["label"])) == ["B 256 · LR 0.01", "B 32 · LR 0.01"]
    assert len(by_setting) == 3 * 3  # three curves of epochs 0, 1, 2
    by_student = board_table(runs, "val_loss", label_by="student")
    assert sorted(set(by_student["label"])) == ["Joon · B 256 · LR 0.01", "Mina · B 256 · LR 0.01",
                                                 "Mina · B 32 · LR 0.01"]
    hidden = board_table(runs, "val_loss", label_by="student", hide_names=True)
    assert sorted(set(hidden["label"])) == ["Student 1 · B 256 · LR 0.01", "Student 1 · B 32 · LR 0.01",
                                            "Student 2 · B 256 · LR 0.01"]
    assert not hidden.astype(str).apply(lambda c: c.str.contains("Mina|Joon")).any().any()


def test_the_signature_changes_when_a_run_gains_an_epoch_or_ends():
    result = train(SMALL)

    class Growing:
        id, config, wall_time = "r1", SMALL, 1.0

        def __init__(self, rows, status):
            self.rows, self.status = rows, status

    before = signature(board_runs([entry("Mina", SMALL)], lambda e: Growing(result.rows[:2], Status.RUNNING)))
    later = signature(board_runs([entry("Mina", SMALL)], lambda e: Growing(result.rows, Status.RUNNING)))
    done = signature(board_runs([entry("Mina", SMALL)], lambda e: Growing(result.rows, Status.COMPLETED)))
    assert len({before, later, done}) == 3
