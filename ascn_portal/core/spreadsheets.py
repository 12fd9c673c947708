"""CSV downloads that spreadsheet programs open safely, streamed line by line."""

import csv
from collections.abc import Iterable, Iterator

# A cell starting with one of these is a formula (or becomes one) in spreadsheet
# programs: such a cell is written with a leading apostrophe so that it stays text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Spreadsheet programs read a CSV file as UTF-8 only when it starts with this mark;
# without it "Nguyễn Thị Hồng" shows as mojibake.
BOM = "\ufeff"


def safe_cell(value: object) -> str:
    """``value`` as CSV text that no spreadsheet runs as a formula; None as empty."""
    if value is None:
        return ""
    value = str(value)
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: Iterable[object], records: Iterable[Iterable[object]]) -> Iterator[str]:
    """The CSV lines of ``header`` and then of each record, for StreamingHttpResponse;
    the first starts with the UTF-8 byte-order mark."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(header)
    for record in records:
        yield writer.writerow([safe_cell(value) for value in record])
