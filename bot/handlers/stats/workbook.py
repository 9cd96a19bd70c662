"""The /stats workbook (.xlsx), written with openpyxl (imported on first use)."""

from __future__ import annotations

import io
from collections.abc import Sequence

HEADER = ("scope", "scope_label", "indicator", "code", "label", "value")


def workbook(sheets: Sequence[tuple[str, Sequence[Sequence[object]]]]) -> bytes:
    """One worksheet per `(name, rows)`, each with the CSV's header row, a frozen header
    and readable column widths. Pure: call it through `asyncio.to_thread`."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets:
        sheet = book.create_sheet(title=name)
        sheet.append(HEADER)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(list(row))
        sheet.freeze_panes = "A2"
        for letter, width in zip("ABCDEF", (16, 28, 20, 14, 40, 10), strict=True):
            sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
