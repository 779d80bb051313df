"""Runs kept and compared: stored.py (a stored run), store.py (the SQLite store), checks.py
(checking untrusted documents), exchange.py (JSON and CSV files), tables.py (summaries and
curves of runs, live or stored)."""
