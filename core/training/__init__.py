"""One training run: config.py (validated settings), data.py (datasets as tensors), models.py,
devices.py, limits.py (the server's caps), record.py (statuses, history rows, the result, the
best-epoch rule) and engine.py (the loop)."""
