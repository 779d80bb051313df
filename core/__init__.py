"""Batch Lab's core: plain Python and torch, never Streamlit; usable from a notebook.

    messages.py   the sentences core says, translatable (Message, MessageError)
    settings.py   the server's BATCHLAB_* settings, read and checked in one place
    charts.py     chart builders (Vega-Lite dicts and Altair), no Streamlit
    training/     a run: its config, data, models, device, record and the engine
    runs/         the SQLite run store, its checks and exchange files, tables of runs
    analysis/     scaling rules, LR range test, noise scale, critical batch, sharpness
    jobs/         executors that run jobs for every session: local processes or Ray
    experiments/  the seed posts' presets, their findings and the shipped reference runs

Imports point down this list's layers only: training uses nothing above it; runs and analysis
use training; jobs and experiments use those. Nothing in core reaches up into pages/.
"""
