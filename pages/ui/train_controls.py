"""The widgets that make one TrainConfig, shared by the pages that train."""

from __future__ import annotations

import streamlit as st

from core.config import OPTIMIZERS, ConfigError, TrainConfig, updates_per_epoch
from core.datasets import DATASETS, split_sizes
from core.devices import available_devices
from core.limits import Limits
from pages.ui.i18n import say, t
from pages.ui.names import CIFAR10_CLASSES, class_names, dataset_titles, model_titles, optimizer_titles

DEFAULT_CIFAR10_CLASSES = (0, 1, 2)  # a small subset, as seed 000 used


def widget_values(config: TrainConfig, prefix: str = "") -> dict[str, object]:
    """The session-state value of every widget that shows `config`."""
    values = {
        "dataset": config.dataset, f"model_{config.dataset}": config.model, "optimizer": config.optimizer,
        "learning_rate": config.learning_rate, "batch_size": config.batch_size, "epochs": config.epochs,
        "momentum": config.momentum, "weight_decay": config.weight_decay, "val_fraction": config.val_fraction,
        "seed": config.seed, "device": config.device, f"max_samples_{config.dataset}": config.max_samples,
        "early_stopping": config.early_stopping, "patience": config.patience, "min_delta": config.min_delta,
        "restore_best": config.restore_best,
        "classes": list(config.classes or DEFAULT_CIFAR10_CLASSES),
    }
    return {prefix + key: value for key, value in values.items()}


def show_config(config: TrainConfig, overwrite: bool = False, prefix: str = "") -> None:
    """Put `config` into the widgets (all of them if `overwrite`, else only those not set yet)."""
    for key, value in widget_values(config, prefix).items():
        if overwrite or key not in st.session_state:
            st.session_state[key] = value


def config_controls(container=st.sidebar, prefix: str = "",
                    hide: tuple[str, ...] = ()) -> tuple[TrainConfig | None, str | None]:
    """Draw every config widget in `container`; return (config, None) or (None, error message).

    `prefix` keeps the widgets of different pages apart. Fields in `hide` get no widget and keep
    their defaults — batch 1 for `batch_size` — for pages that set them themselves (a sweep
    varies batch size and learning rate; a range test sweeps the LR and runs no epochs).
    """
    show_config(TrainConfig(), prefix=prefix)
    c = _Prefixed(container, prefix)
    dataset = c.selectbox(t("ctl.dataset"), list(DATASETS), key="dataset",
                          format_func=dataset_titles().__getitem__,
                          help=t("ctl.dataset_help"))
    spec = DATASETS[dataset]
    model = c.selectbox(t("ctl.model"), spec.models, key=f"model_{dataset}", format_func=model_titles().__getitem__)
    optimizer = c.selectbox(t("ctl.optimizer"), OPTIMIZERS, key="optimizer", format_func=optimizer_titles().__getitem__)
    learning_rate, batch_size, epochs = TrainConfig().learning_rate, 1, TrainConfig().epochs
    if "learning_rate" not in hide:
        learning_rate = c.number_input(t("ctl.learning_rate"), min_value=1e-8, max_value=1000.0, step=0.001,
                                       format="%g", key="learning_rate",
                                       help=t("ctl.learning_rate_help"))
    if "batch_size" not in hide:
        batch_size = c.number_input(t("ctl.batch_size"), min_value=1, step=1, key="batch_size",
                                    help=t("ctl.batch_size_help"))
    if "epochs" not in hide:
        epochs = c.number_input(t("ctl.epochs"), min_value=1, max_value=10_000, step=1, key="epochs",
                                help=t("ctl.epochs_help"))
    more = _Prefixed(container.expander(t("ctl.more")), prefix)
    momentum = more.number_input(t("ctl.momentum"), min_value=0.0, max_value=0.999, step=0.05, key="momentum",
                                 disabled=optimizer != "momentum", help=t("ctl.momentum_help"))
    weight_decay = more.number_input(t("ctl.weight_decay"), min_value=0.0, max_value=1.0, step=0.0001, format="%g",
                                     key="weight_decay")
    val_fraction = more.slider(t("ctl.val_fraction"), 0.0, 0.5, step=0.05, key="val_fraction",
                               help=t("ctl.val_fraction_help"))
    seed = more.number_input(t("ctl.seed"), min_value=0, max_value=2**31 - 1, step=1, key="seed",
                             help=t("ctl.seed_help"))
    device = more.selectbox(t("ctl.device"), ["auto", *available_devices()], key="device",
                            help=t("ctl.device_help"))
    max_samples = more.number_input(t("ctl.max_samples"), min_value=0, step=100,
                                    key=f"max_samples_{dataset}",
                                    help=t("ctl.max_samples_help"))
    classes: tuple[int, ...] = ()
    if spec.class_subsets:
        picked = more.multiselect(t("ctl.classes"), range(len(CIFAR10_CLASSES)), key="classes",
                                  format_func=class_names().__getitem__,
                                  help=t("ctl.classes_help"))
        classes = tuple(picked) if len(picked) < len(CIFAR10_CLASSES) else ()
    early_stopping = more.checkbox(t("ctl.early_stopping"), key="early_stopping",
                                   help=t("ctl.early_stopping_help"))
    patience = more.number_input(t("ctl.patience"), min_value=1, step=1, key="patience",
                                 disabled=not early_stopping)
    min_delta = more.number_input(t("ctl.min_delta"), min_value=0.0, step=0.001, format="%g",
                                  key="min_delta", disabled=not early_stopping)
    restore_best = more.checkbox(t("ctl.restore_best"), key="restore_best", disabled=not early_stopping)
    try:
        config = TrainConfig(
            dataset=dataset, model=model, optimizer=optimizer, learning_rate=float(learning_rate),
            batch_size=int(batch_size), epochs=int(epochs), momentum=float(momentum),
            weight_decay=float(weight_decay), seed=int(seed), device=device, val_fraction=float(val_fraction),
            early_stopping=early_stopping, patience=int(patience), min_delta=float(min_delta),
            restore_best=restore_best, max_samples=int(max_samples), classes=classes)
        Limits.from_env().check(config)
    except ConfigError as exc:
        return None, say(exc)
    return config, None


class _Prefixed:
    """Draws widgets into `container` with `prefix` added to every key, each mirrored in the URL.

    With bind="query-params" a widget's value lives in the link too, so a teacher can share
    a link that opens with exactly these settings (as TensorFlow Playground does).
    """

    def __init__(self, container, prefix: str) -> None:
        self.container, self.prefix = container, prefix

    def __getattr__(self, name: str):
        draw = getattr(self.container, name)

        def prefixed(*args, key: str | None = None, **kwargs):
            if key is None:
                return draw(*args, **kwargs)
            return draw(*args, key=self.prefix + key, bind="query-params", **kwargs)

        return prefixed


def steps_caption(config: TrainConfig) -> str:
    """The seeds' arithmetic for this config: samples, updates per epoch, updates in total."""
    n_train, n_val, _ = split_sizes(config.dataset, config.val_fraction, config.max_samples, config.classes)
    per_epoch = updates_per_epoch(n_train, config.batch_size)
    return t("train.steps", n_train=f"{n_train:,}", n_val=f"{n_val:,}", batch=config.batch_size,
             per_epoch=f"{per_epoch:,}", total=f"{per_epoch * config.epochs:,}", epochs=config.epochs)
