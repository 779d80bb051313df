"""The widgets that make one TrainConfig, shared by the pages that train."""

from __future__ import annotations

import streamlit as st

from core.config import OPTIMIZERS, ConfigError, TrainConfig, updates_per_epoch
from core.datasets import DATASETS, split_sizes
from core.devices import available_devices
from core.limits import Limits
from core.models import MODEL_TITLES

OPTIMIZER_TITLES = {
    "sgd": "SGD",
    "momentum": "SGD with momentum",
    "adam": "Adam",
    "adamw": "AdamW",
}
CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
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
    dataset = c.selectbox("Dataset (데이터셋)", list(DATASETS), key="dataset",
                          format_func=lambda name: DATASETS[name].title,
                          help="Offline datasets train at once; CIFAR-10 is downloaded on first use.")
    spec = DATASETS[dataset]
    model = c.selectbox("Model (모델)", spec.models, key=f"model_{dataset}", format_func=MODEL_TITLES.get)
    optimizer = c.selectbox("Optimizer (옵티마이저)", OPTIMIZERS, key="optimizer", format_func=OPTIMIZER_TITLES.get)
    learning_rate, batch_size, epochs = TrainConfig().learning_rate, 1, TrainConfig().epochs
    if "learning_rate" not in hide:
        learning_rate = c.number_input("Learning rate (학습률)", min_value=1e-8, max_value=1000.0, step=0.001,
                                       format="%g", key="learning_rate",
                                       help="How far each update step moves the weights. "
                                            "Too large and the loss diverges.")
    if "batch_size" not in hide:
        batch_size = c.number_input("Batch size (배치 크기)", min_value=1, step=1, key="batch_size",
                                    help="Samples per update step. One epoch has ceil(N / batch size) update steps.")
    if "epochs" not in hide:
        epochs = c.number_input("Epochs (에폭)", min_value=1, max_value=10_000, step=1, key="epochs",
                                help="Passes over the whole training set.")
    more = _Prefixed(container.expander("More settings"), prefix)
    momentum = more.number_input("Momentum", min_value=0.0, max_value=0.999, step=0.05, key="momentum",
                                 disabled=optimizer != "momentum", help="Used by 'SGD with momentum' only.")
    weight_decay = more.number_input("Weight decay", min_value=0.0, max_value=1.0, step=0.0001, format="%g",
                                     key="weight_decay")
    val_fraction = more.slider("Validation share", 0.0, 0.5, step=0.05, key="val_fraction",
                               help="Part of the training data held out to measure generalization.")
    seed = more.number_input("Seed", min_value=0, max_value=2**31 - 1, step=1, key="seed",
                             help="Fixes the initial weights and the batch order: same seed, same run.")
    device = more.selectbox("Device", ["auto", *available_devices()], key="device",
                            help="'auto' picks a GPU (cuda, then mps) when there is one, else the CPU.")
    max_samples = more.number_input("Sample cap (0 = all)", min_value=0, step=100,
                                    key=f"max_samples_{dataset}",
                                    help="Use at most this many training samples, for quicker runs.")
    classes: tuple[int, ...] = ()
    if spec.class_subsets:
        picked = more.multiselect("Classes", range(len(CIFAR10_CLASSES)), key="classes",
                                  format_func=lambda i: CIFAR10_CLASSES[i],
                                  help="Seed 000 trained on a few CIFAR-10 classes only.")
        classes = tuple(picked) if len(picked) < len(CIFAR10_CLASSES) else ()
    early_stopping = more.checkbox("Early stopping (조기 종료)", key="early_stopping",
                                   help="Stop when the validation loss has not improved for 'patience' epochs, "
                                        "as Keras' EarlyStopping(monitor='val_loss') does.")
    patience = more.number_input("Patience (epochs)", min_value=1, step=1, key="patience",
                                 disabled=not early_stopping)
    min_delta = more.number_input("Min delta", min_value=0.0, step=0.001, format="%g",
                                  key="min_delta", disabled=not early_stopping)
    restore_best = more.checkbox("Restore best weights", key="restore_best", disabled=not early_stopping)
    try:
        config = TrainConfig(
            dataset=dataset, model=model, optimizer=optimizer, learning_rate=float(learning_rate),
            batch_size=int(batch_size), epochs=int(epochs), momentum=float(momentum),
            weight_decay=float(weight_decay), seed=int(seed), device=device, val_fraction=float(val_fraction),
            early_stopping=early_stopping, patience=int(patience), min_delta=float(min_delta),
            restore_best=restore_best, max_samples=int(max_samples), classes=classes)
        Limits.from_env().check(config)
    except ConfigError as exc:
        return None, str(exc)
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
    return (f"{n_train:,} training samples ({n_val:,} held out) ÷ batch {config.batch_size} → "
            f"**{per_epoch:,} updates per epoch**, {per_epoch * config.epochs:,} in {config.epochs} epochs.")
