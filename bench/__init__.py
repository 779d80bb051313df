"""Benchmarks and the load test, run from the app's folder as modules: `python -m bench.bench_engine`."""
