"""Display names of datasets, models, optimizers and CIFAR-10 classes in the session's language.

core names them in English (DatasetSpec.title, MODELS) for notebooks and files; the
widgets show these instead. A widget's format_func gets a ready dict's lookup, e.g.
`format_func=dataset_titles().__getitem__`: AppTest calls format_func outside the script run,
where the session's language is unknown, so the names are made during the run.
"""

from __future__ import annotations

from core.training.config import OPTIMIZERS, SCHEDULES
from core.training.data import DATASETS
from core.training.models import MODELS
from pages.ui.i18n import say, t

CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")


def dataset_title(name: str) -> str:
    return say(DATASETS[name].title)


def model_title(name: str) -> str:
    return t(f"name.model.{name}")


def optimizer_title(name: str) -> str:
    return t(f"name.optimizer.{name}")


def dataset_titles() -> dict[str, str]:
    return {name: dataset_title(name) for name in DATASETS}


def model_titles() -> dict[str, str]:
    return {name: model_title(name) for name in MODELS}


def optimizer_titles() -> dict[str, str]:
    return {name: optimizer_title(name) for name in OPTIMIZERS}


def schedule_titles() -> dict[str, str]:
    return {name: t(f"name.schedule.{name}") for name in SCHEDULES}


def class_names() -> dict[int, str]:
    return {i: t(f"name.cifar10.{name}") for i, name in enumerate(CIFAR10_CLASSES)}
