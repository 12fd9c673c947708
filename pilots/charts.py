"""Bar charts drawn on the server as SVG geometry for templates/pilots/partials/bar_chart.html.

The page stays readable without JavaScript and within the content security policy:
only SVG presentation attributes (x, y, width, height, fill), no style attributes.
"""

from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 190  # room for the longest member-state name at the font size used
ROW_HEIGHT = 30
BAR_HEIGHT = 20
PADDING = 8
VALUE_ROOM = 60  # right of the longest bar, for its number


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int
    text_y: int
    value_x: int


@dataclass(frozen=True)
class BarChart:
    bars: list
    width: int
    height: int
    bar_x: int
    label_x: int
    bar_height: int


def bar_chart(items):
    """A horizontal bar chart of ``[(label, count)]``, bars scaled to the largest count."""
    top = max((value for _label, value in items), default=0)
    span = WIDTH - LABEL_WIDTH - VALUE_ROOM
    bars = []
    for index, (label, value) in enumerate(items):
        width = round(value * span / top) if top else 0
        if value and not width:
            width = 1  # a small count still shows as a sliver
        y = PADDING + index * ROW_HEIGHT
        bars.append(
            Bar(
                label=str(label),
                value=value,
                y=y,
                width=width,
                text_y=y + BAR_HEIGHT - 5,
                value_x=LABEL_WIDTH + width + 6,
            )
        )
    return BarChart(
        bars=bars,
        width=WIDTH,
        height=2 * PADDING + len(items) * ROW_HEIGHT,
        bar_x=LABEL_WIDTH,
        label_x=LABEL_WIDTH - 8,
        bar_height=BAR_HEIGHT,
    )
