"""The room mode's pure pieces: the teacher link, the badge's link, the assignment and the tally."""

import math

from bench.load_room import (
    badge_query,
    cell_query,
    nickname,
    probe_query,
    ratio,
    room_assignment,
    same_query,
    tally,
    teacher_link,
    unexpected,
)
from bench.load_sessions import first_presses, runs_by_key
from core.training.config import TrainConfig


def test_the_room_code_and_teacher_key_are_read_from_the_teacher_link_not_the_student_link():
    texts = ["http://127.0.0.1:8501/Class?room=KX4P",
             "http://127.0.0.1:8501/Class?room=KX4P&teacher=Ab-c_d0123456789xyzQ"]
    assert teacher_link(texts) == ("KX4P", "Ab-c_d0123456789xyzQ")


def test_a_page_without_a_teacher_link_gives_no_room():
    assert teacher_link(["http://127.0.0.1:8501/Class?room=KX4P", "print(1)"]) is None


def test_the_badge_link_is_the_train_link_with_settings_not_the_menu_link():
    links = [("", ""), ("Train", ""), ("Sweep", "epochs=3"), ("Train", "batch_size=16&epochs=3")]
    assert badge_query(links) == "batch_size=16&epochs=3"


def test_a_page_without_a_badge_gives_no_cell_link():
    assert badge_query([("Train", ""), ("Compare", "run=abc")]) is None


def test_a_cell_opens_the_train_page_with_its_model_and_every_setting_off_the_default():
    cell = TrainConfig(batch_size=16, learning_rate=0.001, epochs=3)
    assert cell_query(cell) == "dataset=mnist1d&model_mnist1d=cnn1d&learning_rate=0.001&batch_size=16&epochs=3"


def test_a_cell_at_the_default_batch_and_lr_names_only_its_epochs():
    assert cell_query(TrainConfig(epochs=3)) == "dataset=mnist1d&model_mnist1d=cnn1d&epochs=3"


def test_two_links_with_the_same_settings_in_another_order_are_the_same():
    assert same_query("epochs=3&batch_size=16", "batch_size=16&epochs=3")
    assert not same_query("epochs=3&batch_size=16", "batch_size=16&epochs=4")


def test_the_assignment_is_a_locked_handed_out_three_by_three_grid_on_the_default_config():
    grid = room_assignment(3)
    assert grid.locked and grid.hand_out
    assert [(c.batch_size, c.learning_rate, c.epochs) for c in grid.cells[:4]] == [
        (16, 0.001, 3), (16, 0.01, 3), (16, 0.1, 3), (64, 0.001, 3)]
    assert len({c.key for c in grid.cells}) == 9


def test_students_have_unique_nicknames_that_sort_in_joining_order():
    assert [nickname(i) for i in (0, 9, 10)] == ["student-00", "student-09", "student-10"]


def test_the_teacher_links_shown_once_warning_is_not_an_error_but_other_warnings_are():
    problems = ["warning alert: The teacher link carries the room's teacher key and is shown only now: copy it "
                "somewhere safe. Anyone with it can close the room and tidy its runs.",
                "error alert: Room KX4P's assignment is locked"]
    assert unexpected(problems) == ["error alert: Room KX4P's assignment is locked"]


def test_the_tally_names_lost_and_twice_trained_cells_strangers_runs_and_unrecorded_students():
    cells = {"ann": "k1", "bob": "k1", "cat": "k2", "dan": "k3"}
    found = tally(cells, ["k1", "k2", "k2", "x9", "calib"], [("ann", "k1"), ("cat", "k2"), ("dan", "k3")],
                  ignore=["calib"])
    assert found.lost == ["k3"]
    assert found.duplicated == {"k2": 2}
    assert found.others == ["x9"]
    assert found.unrecorded == ["bob"]


def test_a_class_whose_every_cell_was_stored_once_and_recorded_tallies_clean():
    found = tally({"ann": "k1", "bob": "k1"}, ["k1"], [("ann", "k1"), ("bob", "k1")])
    assert (found.lost, found.duplicated, found.others, found.unrecorded) == ([], {}, [], [])


def test_the_load_ratio_is_the_median_under_load_over_the_median_idle():
    assert ratio([0.2, 0.3, 0.1], [0.1, 0.1]) == 2.0
    assert math.isnan(ratio([], [0.1]))


def test_stored_runs_are_grouped_by_config_key():
    runs = [{"key": "a", "seed": 1}, {"key": "b", "seed": 2}, {"key": "a", "seed": 3}]
    assert {k: [r["seed"] for r in v] for k, v in runs_by_key(runs).items()} == {"a": [1, 3], "b": [2]}


def test_the_probe_keeps_the_default_settings_unless_they_are_a_cell_of_the_grid():
    assert probe_query(room_assignment(3)) == ""
    assert probe_query(room_assignment(15)) == "seed=1"


def test_a_config_pressed_by_several_students_counts_from_its_first_press():
    presses = [("k1", 12.5), ("k2", None), ("k1", 10.0), ("k3", 11.0)]
    assert first_presses(presses) == {"k1": 10.0, "k3": 11.0}


def test_an_unstable_cells_verdict_is_no_error_but_a_link_warning_is():
    problems = ["warning alert: **Unstable.** The training loss ended at 2.303, no lower than the 2.303 it started "
                "at: this learning rate did not train. The run stayed finite but did not train steadily.",
                "warning alert: **Diverged.** The loss became NaN at epoch 2.",
                "warning alert: Some values in this link do not fit this page and were not used as written: epochs=0."]
    assert unexpected(problems) == [problems[2]]
