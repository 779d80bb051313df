"""The Sweep page's grid charts draw what the runs are, preset after preset in one tab.

Switching presets in one tab used to leave the previous preset's chart in place with the new data
patched in: curves in the wrong cells, empty cells that had runs, unlabelled extra rows. Seed 001
(epochs × batch) was laid out as batch × LR, so its 5- and 20-epoch runs shared a cell. A grid
of five learning rates ran 1,352 px wide in a 940 px column. Each chart is read back from the
page (its SVG: the panels' headers and the runs' lines, named in their tooltips)."""

import pytest

pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (pip install playwright)")

from playwright.sync_api import expect

from core.experiments.presets import presets
from core.runs.tables import grid_axes, labeller

# The small multiples' SVG, read as the reader sees it: every panel with the headers of its row and
# column (matched by position) and the labels of the runs whose lines it draws.
READ_PANELS = """() => {
  const svg = [...document.querySelectorAll("[data-testid='stVegaLiteChart'] svg")]
      .find(s => s.querySelector("g.role-scope.cell"));
  if (!svg) return null;
  const centre = e => { const b = e.getBoundingClientRect(); return [b.x + b.width / 2, b.y + b.height / 2, b]; };
  const headers = kind => [...svg.querySelectorAll(`g.role-${kind}-header g.role-title-text text`)].map(t => {
      const [x, y] = centre(t); return {text: t.textContent.trim(), x, y}; });
  const rows = headers("row"), columns = headers("column");
  // The "cell" group mark holds one item, a <g> of its own, per panel.
  const panels = [...svg.querySelectorAll("g.role-scope.cell > g")].map(cell => {
      const [x, y] = centre(cell);
      const near = (list, key) => list.reduce((a, b) => Math.abs(b[key] - (key === "x" ? x : y)) <
                                                        Math.abs(a[key] - (key === "x" ? x : y)) ? b : a);
      const labels = [...cell.querySelectorAll('path[aria-roledescription="line mark"]')]
          .map(p => (p.getAttribute("aria-label").match(/label: ([^;]+)/) || [])[1]);
      return {row: near(rows, "y").text, column: near(columns, "x").text, labels};
  });
  const main = document.querySelector("[data-testid='stMainBlockContainer']").getBoundingClientRect();
  return {panels, rows: rows.map(r => r.text), columns: columns.map(c => c.text),
          width: svg.getBoundingClientRect().width, right: svg.getBoundingClientRect().right, column: main.right};
}"""


def number(value: float) -> str:
    return f"{value:g}"


@pytest.mark.timeout(300)
def test_switching_presets_in_one_tab_draws_each_grid_with_every_run_in_its_own_cell(app):
    app.open("Sweep")
    found = presets()
    for name in ("seed001", "seed000", "seed002-lr", "seed002-scaling", "seed003"):
        preset = found[name]
        app.choose("Experiment", preset.title.render())
        app.page.get_by_role("button", name="Run sweep", exact=True).click()  # answered by the reference runs
        done = f"{len(preset.configs)} of {len(preset.configs)} runs done"
        expect(app.page.get_by_test_id("stProgress").filter(has_text="runs done")).to_contain_text(done)
        app.wait_until_idle()
        app.page.wait_for_function(f"({READ_PANELS})() !== null")
        drawn = app.page.evaluate(READ_PANELS)
        rows, columns = grid_axes(list(preset.configs))
        label = labeller(list(preset.configs))
        expected: dict[tuple[str, str], list[str]] = {}
        for c in preset.configs:  # every seed of a setting in its cell: a train and a validation line each
            expected.setdefault((number(getattr(c, rows)), number(getattr(c, columns))), []).extend([label(c)] * 2)
        assert sorted(drawn["rows"], key=float) == sorted({row for row, _ in expected}, key=float), name
        assert sorted(drawn["columns"], key=float) == sorted({column for _, column in expected}, key=float), name
        for panel in drawn["panels"]:
            wanted = expected.get((panel["row"], panel["column"]), [])  # a panel with no run stays empty
            assert sorted(panel["labels"]) == sorted(wanted), (name, panel)
        assert drawn["right"] <= drawn["column"] + 1, (name, drawn["width"])  # inside the page's column
        app.screenshot(name)
