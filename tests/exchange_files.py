"""Messy spreadsheets as advocates keep them, made in the tests: mixed scripts,
every date form, duplicates within the file and against the database, broken rows."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

HEADER = ["Name", "Born", "Age", "Nationality", "Status", "ICRC no.", "Case", "Held at", "Since", "Request",
          "Request status", "Note"]  # fmt: skip

#: The mapping an organisation would save for the file below.
MAPPING = {
    "columns": {
        "Name": {"field": "person.names", "split": "/"},
        "Born": "person.birth",
        "Age": "person.age_estimate",
        "Nationality": "person.nationality",
        "Status": {"field": "person.status", "choices": {"held": "in_detention", "freed": "released"}},
        "ICRC no.": "person.identifier.icrc",
        "Case": "case.title",
        "Held at": "detention.facility",
        "Since": "detention.started",
        "Request": {"field": "request.category", "choices": {"meds": "medicine", "go south": "transfer"}},
        "Request status": {"field": "request.status", "choices": {"waiting": "stalled"}},
        "Note": "note.body",
    }
}

#: (row in the file, values): row numbers are CSV lines (the header is line 1).
ROWS = [
    ["Kim Hyok / 김혁", "Jan 1999", "", "DPRK", "held", "ICRC-100", "Kursk prisoners", "Camp 1", "Jan 2025",
     "go south", "waiting", "Asked again in March."],
    ["Pak Chol Ho / 박철호", "Q4 2001", "", "North Korea", "held", "", "Kursk prisoners", "Camp 1", "Q4 2024",
     "meds", "", ""],
    ["Ri Yong Su", "2000?", "about 25", "KP", "freed", "ICRC-102", "Kursk prisoners", "", "", "", "", ""],
    ["", "", "", "", "", "", "", "", "", "", "", ""],  # empty
    ["Kim Hyok / 김혁", "Jan 1999", "", "DPRK", "held", "ICRC-100", "Kursk prisoners", "Camp 1", "Jan 2025",
     "go south", "waiting", "Asked again in March."],  # the same as line 2
    ["Kim Hyok", "Jan 1999", "", "DPRK", "held", "ICRC-100", "Kursk prisoners", "", "", "reading", "", ""],
    ["Choe Myong / 최명", "31/02/2001", "", "Atlantis", "in a cell", "", "Kursk prisoners", "", "", "", "", ""],
    ["<script>alert(1)</script>", "2099", "", "KP", "held", "", "Kursk prisoners", "", "", "", "", ""],
]  # fmt: skip


def csv_bytes(rows=ROWS, *, header=HEADER, encoding="utf-8", delimiter=",", bom=False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows=ROWS, *, header=HEADER, merge: str = "", formula_at: tuple[int, int] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Detainees"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if formula_at:
        sheet.cell(row=formula_at[0], column=formula_at[1], value="=1+1")
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
