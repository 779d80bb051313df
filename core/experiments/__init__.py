"""The seed posts' experiments: presets.py (their grids), findings.py (their claims checked
against measurements), sharp_vs_flat.py (the small-vs-large-batch preset), reference.py (the
reference runs shipped in reference_runs.json)."""
