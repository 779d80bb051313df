import dataclasses
from pathlib import Path

from core.training.config import TrainConfig

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_every_config_field_is_documented_in_the_readme():
    missing = [f.name for f in dataclasses.fields(TrainConfig) if f"| `{f.name}` |" not in README]
    assert missing == []


def test_the_readme_shows_the_two_set_up_commands():
    assert "pip install -r requirements.txt && streamlit run app.py" in README
    assert "pip install -r requirements-dev.txt && pytest" in README


def test_the_readme_has_the_benchmark_figures():
    assert "PERFORMANCE_TABLE" not in README
    assert "| epochs=20, batch=16" in README and "| batch=256, lr=0.01" in README
