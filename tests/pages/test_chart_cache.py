"""The shared chart cache builds a chart once however many sessions ask for it at the same time."""

import threading
import time

from pages.ui.chart_cache import SpecCache


def ask_together(cache: SpecCache, build, sessions: int = 8) -> list[dict]:
    answers: list[dict] = []
    start = threading.Barrier(sessions)

    def session() -> None:
        start.wait()
        try:
            answers.append(cache.get(("board", 3), build))
        except RuntimeError:
            answers.append({"failed": True})

    threads = [threading.Thread(target=session) for _ in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    return answers


def test_sessions_asking_for_a_chart_while_it_is_built_wait_for_that_one_build():
    calls = []

    def build() -> dict:
        calls.append(1)
        time.sleep(0.2)
        return {"mark": "line"}

    answers = ask_together(SpecCache(), build)
    assert len(calls) == 1
    assert answers == [{"mark": "line"}] * 8


def test_when_the_build_fails_the_waiting_sessions_build_their_own():
    calls = []

    def build() -> dict:
        calls.append(1)
        time.sleep(0.1)
        if len(calls) == 1:
            raise RuntimeError("the first build fails")
        return {"mark": "bar"}

    answers = ask_together(SpecCache(), build, sessions=4)
    assert answers.count({"failed": True}) == 1
    assert answers.count({"mark": "bar"}) == 3
    assert len(calls) == 4


def test_the_oldest_chart_is_dropped_past_the_caches_size():
    cache = SpecCache(size=2)
    for n in range(3):
        cache.get(("chart", n), lambda n=n: {"n": n})
    rebuilt = []
    cache.get(("chart", 0), lambda: rebuilt.append(0) or {"n": 0})
    cache.get(("chart", 2), lambda: rebuilt.append(2) or {"n": 2})
    assert rebuilt == [0]
