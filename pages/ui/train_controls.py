"""The widgets that make one TrainConfig, shared by the pages that train."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from core.settings import ConfigError
from core.training.config import ADAM_TYPE, TrainConfig
from core.training.data import DATASETS
from core.training.devices import available_devices
from core.training.limits import Limits
from pages.ui.i18n import say, t
from pages.ui.links import choice
from pages.ui.names import (
    CIFAR10_CLASSES,
    class_names,
    dataset_titles,
    model_titles,
    optimizer_titles,
    schedule_titles,
)
from pages.ui.widgets import bounds

DEFAULT_CIFAR10_CLASSES = (0, 1, 2)  # a small subset, as seed 000 used


BATCH_CHOICES = [8, 16, 32, 64, 128, 256, 512, 1024]  # a grid's batch sizes to pick from (others can be typed in)
LR_CHOICES = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0]  # and its learning rates

def widget_values(config: TrainConfig, prefix: str = "") -> dict[str, object]:
    """The session-state value of every widget that shows `config`."""
    values = {
        "dataset": config.dataset, f"model_{config.dataset}": config.model, "optimizer": config.optimizer,
        "learning_rate": config.learning_rate, "batch_size": config.batch_size, "epochs": config.epochs,
        "momentum": config.momentum, "beta1": config.beta1, "beta2": config.beta2, "eps": config.eps,
        "schedule": config.schedule, "warmup_epochs": config.warmup_epochs,
        "warmup_start": config.warmup_start, "decay_every": config.decay_every, "decay_factor": config.decay_factor,
        "weight_decay": config.weight_decay, "val_fraction": config.val_fraction,
        "seed": config.seed, "device": config.device, f"max_samples_{config.dataset}": config.max_samples,
        "early_stopping": config.early_stopping, "patience": config.patience, "min_delta": config.min_delta,
        "restore_best": config.restore_best,
        "classes": list(config.classes or DEFAULT_CIFAR10_CLASSES),
    }
    return {prefix + key: value for key, value in values.items()}


CHOSEN = ("dataset", "model_", "optimizer", "schedule", "classes")  # the widgets drawn by choice(), not bound


def show_config(config: TrainConfig) -> None:
    """Put `config` into the Train page's widgets (a run opened from its link)."""
    st.session_state.update(widget_values(config))


def seed_choices(prefix: str) -> None:
    """Open the choices (dataset, model, optimizer ...) at the defaults; the bound widgets have their own."""
    for key, value in widget_values(TrainConfig(), prefix).items():
        if key.removeprefix(prefix).startswith(CHOSEN) and key not in st.session_state:
            st.session_state[key] = value


def config_controls(container: DeltaGenerator = st.sidebar, prefix: str = "",
                    hide: tuple[str, ...] = ()) -> tuple[TrainConfig | None, str | None]:
    """Draw every config widget in `container`; return (config, None) or (None, error message).

    `prefix` keeps the widgets of different pages apart. Fields in `hide` get no widget and keep
    their defaults — batch 1 for `batch_size` — for pages that set them themselves (a sweep
    varies batch size and learning rate; a range test sweeps the LR and runs no epochs).
    """
    seed_choices(prefix)
    c = _Linked(container, prefix)
    dataset = c.choose(container.selectbox, t("ctl.dataset"), dataset_titles(), "dataset", help=t("ctl.dataset_help"))
    spec = DATASETS[dataset]
    model = c.choose(container.selectbox, t("ctl.model"), {m: model_titles()[m] for m in spec.models},
                     f"model_{dataset}", help=t("ctl.model_help"))
    optimizer = c.choose(container.selectbox, t("ctl.optimizer"), optimizer_titles(), "optimizer")
    learning_rate, batch_size, epochs = TrainConfig().learning_rate, 1, TrainConfig().epochs
    if "learning_rate" not in hide:
        learning_rate = c.number_input(t("ctl.learning_rate"), **bounds("learning_rate"), step=0.001, format="%g",
                                       key="learning_rate", help=t("ctl.learning_rate_help"))
    if "batch_size" not in hide:
        batch_size = c.number_input(t("ctl.batch_size"), **bounds("batch_size"), step=1, key="batch_size",
                                    help=t("ctl.batch_size_help"))
    if "epochs" not in hide:
        epochs = c.number_input(t("ctl.epochs"), **bounds("epochs"), step=1, key="epochs", help=t("ctl.epochs_help"))
    expander = container.expander(t("ctl.more"))
    more = _Linked(expander, prefix)
    momentum = more.number_input(t("ctl.momentum"), **bounds("momentum"), step=0.05, key="momentum",
                                 disabled=optimizer != "momentum", help=t("ctl.momentum_help"))
    adam = optimizer not in ADAM_TYPE
    beta1 = more.number_input(t("ctl.beta1"), **bounds("beta1"), step=0.01, format="%g", key="beta1", disabled=adam,
                              help=t("ctl.betas_help"))
    beta2 = more.number_input(t("ctl.beta2"), **bounds("beta2"), step=0.001, format="%g", key="beta2", disabled=adam,
                              help=t("ctl.betas_help"))
    eps = more.number_input(t("ctl.eps"), **bounds("eps"), step=1e-8, format="%g", key="eps", disabled=adam,
                            help=t("ctl.betas_help"))
    schedule = more.choose(expander.selectbox, t("ctl.schedule"), schedule_titles(), "schedule",
                           help=t("ctl.schedule_help"))
    warmup_epochs = more.number_input(t("ctl.warmup_epochs"), **bounds("warmup_epochs"), step=0.5, format="%g",
                                      key="warmup_epochs", help=t("ctl.warmup_epochs_help"))
    warmup_start = more.number_input(t("ctl.warmup_start"), **bounds("warmup_start"), step=0.05, format="%g",
                                     key="warmup_start", disabled=warmup_epochs == 0, help=t("ctl.warmup_start_help"))
    decay_every = more.number_input(t("ctl.decay_every"), **bounds("decay_every"), step=1, key="decay_every",
                                    disabled=schedule != "step")
    decay_factor = more.number_input(t("ctl.decay_factor"), **bounds("decay_factor"), step=0.05, format="%g",
                                     key="decay_factor", disabled=schedule != "step")
    weight_decay = more.number_input(t("ctl.weight_decay"), **bounds("weight_decay"), step=0.0001, format="%g",
                                     key="weight_decay")
    val_fraction = more.slider(t("ctl.val_fraction"), **bounds("val_fraction"), step=0.05, key="val_fraction",
                               help=t("ctl.val_fraction_help"))
    seed = more.number_input(t("ctl.seed"), **bounds("seed"), step=1, key="seed", help=t("ctl.seed_help"))
    device = more.selectbox(t("ctl.device"), ["auto", *available_devices()], key="device",
                            help=t("ctl.device_help"))
    max_samples = more.number_input(t("ctl.max_samples"), **bounds("max_samples"), step=100,
                                    key=f"max_samples_{dataset}", help=t("ctl.max_samples_help"))
    classes: tuple[int, ...] = ()
    if spec.class_subsets:
        picked = more.choose(expander.multiselect, t("ctl.classes"), class_names(), "classes", multiple=True,
                             help=t("ctl.classes_help"))
        classes = tuple(picked) if len(picked) < len(CIFAR10_CLASSES) else ()
    early_stopping = more.checkbox(t("ctl.early_stopping"), key="early_stopping",
                                   help=t("ctl.early_stopping_help"))
    patience = more.number_input(t("ctl.patience"), **bounds("patience"), step=1, key="patience",
                                 disabled=not early_stopping)
    min_delta = more.number_input(t("ctl.min_delta"), **bounds("min_delta"), step=0.001, format="%g",
                                  key="min_delta", disabled=not early_stopping)
    restore_best = more.checkbox(t("ctl.restore_best"), key="restore_best", disabled=not early_stopping)
    try:
        config = TrainConfig(
            dataset=dataset, model=model, optimizer=optimizer, learning_rate=float(learning_rate),
            batch_size=int(batch_size), epochs=int(epochs), momentum=float(momentum), beta1=float(beta1),
            beta2=float(beta2), eps=float(eps), schedule=schedule, warmup_epochs=float(warmup_epochs),
            warmup_start=float(warmup_start), decay_every=int(decay_every), decay_factor=float(decay_factor),
            weight_decay=float(weight_decay), seed=int(seed), device=device, val_fraction=float(val_fraction),
            early_stopping=early_stopping, patience=int(patience), min_delta=float(min_delta),
            restore_best=restore_best, max_samples=int(max_samples), classes=classes)
        Limits.from_env().check(config)
    except ConfigError as exc:  # a bad value, or a cap of the server (or a cap set wrongly)
        return None, say(exc)
    return config, None


class _Linked:
    """Draws widgets into `container`, each mirrored in the page's link, its key prefixed.

    With bind="query-params" a widget's value lives in the link too, so a teacher can share
    a link that opens with exactly these settings (as TensorFlow Playground does). Each opens at
    the config's default, given as its `value`: Streamlit leaves a value equal to the widget's
    default out of the link, and drops such a value from a link it opens, so a number box left to
    default to its minimum would open ?epochs=1 at 15 and share epochs=1 as no epochs at all.
    """

    DEFAULTS: ClassVar[dict[str, object]] = {key.removesuffix(f"_{TrainConfig().dataset}"): value
                for key, value in widget_values(TrainConfig()).items()}  # max_samples_<dataset> -> max_samples

    def __init__(self, container: DeltaGenerator, prefix: str) -> None:
        self.container, self.prefix = container, prefix

    def choose(self, draw: Callable[..., Any], label: str, names: Mapping[Any, str], key: str,
               **kwargs: Any) -> Any:
        """A choice between named options, its link value the option's id (pages/ui/links.choice)."""
        return choice(draw, label, names, self.prefix + key, **kwargs)

    def __getattr__(self, name: str) -> Any:
        draw = getattr(self.container, name)

        def linked(*args: Any, key: str | None = None, **kwargs: Any) -> Any:
            if key is None:
                return draw(*args, **kwargs)
            if name != "selectbox":  # a selectbox opens at its first option (the device: "auto")
                kwargs.setdefault("value", self.DEFAULTS["max_samples" if key.startswith("max_samples_") else key])
            return draw(*args, key=self.prefix + key, bind="query-params", **kwargs)

        return linked


def steps_caption(config: TrainConfig) -> str:
    """The seeds' arithmetic for this config: samples, updates per epoch, updates in total."""
    per_epoch = config.updates_per_epoch
    return t("train.steps", n_train=f"{config.n_train:,}", n_val=f"{config.n_val:,}", batch=config.batch_size,
             per_epoch=f"{per_epoch:,}", total=f"{per_epoch * config.epochs:,}", epochs=config.epochs)
