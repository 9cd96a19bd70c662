"""The supply-and-demand chart of /stats, drawn with matplotlib (imported on first use:
it costs half a second and ~30 MB that the bot should not pay at start)."""

from __future__ import annotations

import io
from collections.abc import Sequence


def supply_and_demand(
    title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]]
) -> bytes:
    """A horizontal grouped bar chart as PNG bytes: one group per label, one bar per
    series. Pure and thread-safe (no pyplot state): call it through `asyncio.to_thread`."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    height = 0.8 / len(series)
    figure = Figure(figsize=(9, 1.2 + 0.45 * len(labels)), dpi=110)
    axes = figure.subplots()
    for index, (name, values) in enumerate(series):
        positions = [row + index * height for row in range(len(labels))]
        bars = axes.barh(positions, values, height=height, label=name)
        axes.bar_label(bars, padding=2, fontsize=8)
    axes.set_yticks([row + height * (len(series) - 1) / 2 for row in range(len(labels))], labels)
    axes.invert_yaxis()  # the first label on top
    axes.set_title(title)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.06), ncols=len(series), frameon=False)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.spines[["top", "right"]].set_visible(False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()
