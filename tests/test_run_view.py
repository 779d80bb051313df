from core.config import TrainConfig
from pages.ui.run_view import epochs_done

CONFIG = TrainConfig(dataset="linear", model="linear", batch_size=32, epochs=10)  # 800 samples: 25 steps an epoch


def row(epoch: int, step: int) -> dict:
    return {"epoch": epoch, "step": step}


def test_a_run_that_finished_its_epochs_has_no_partial_epoch():
    assert CONFIG.updates_per_epoch == 25
    assert epochs_done([row(1, 25), row(2, 50)], CONFIG) == (2, 0)


def test_a_run_stopped_in_its_third_epoch_counts_two_whole_epochs_and_the_steps_of_the_third():
    assert epochs_done([row(1, 25), row(2, 50), row(3, 57)], CONFIG) == (2, 7)


def test_a_run_stopped_in_its_first_epoch_has_no_whole_epoch():
    assert epochs_done([row(1, 3)], CONFIG) == (0, 3)
    assert epochs_done([], CONFIG) == (0, 0)
