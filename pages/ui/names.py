"""Display names of datasets, models, optimizers and CIFAR-10 classes in the session's language.

core names them in English (DatasetSpec.title, MODEL_TITLES) for notebooks and files; the
widgets show these instead (format_func=dataset_title, ...).
"""

from __future__ import annotations

from pages.ui.i18n import t

CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")


def dataset_title(name: str) -> str:
    return t(f"name.dataset.{name}")


def model_title(name: str) -> str:
    return t(f"name.model.{name}")


def optimizer_title(name: str) -> str:
    return t(f"name.optimizer.{name}")


def class_name(index: int) -> str:
    return t(f"name.cifar10.{CIFAR10_CLASSES[index]}")
