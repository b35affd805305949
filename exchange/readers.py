"""Reading an import file row by row: CSV in any delimiter and encoding, or an XLSX sheet.

Rows are streamed (csv module over a decoding stream, openpyxl in read-only
mode), so a file of any length is read in constant memory. Every problem
with the file as a whole is a ``FileProblem`` with a message a person can act
on; problems of single cells are left to the mapping (exchange/mappings.py),
except a formula, which the reader refuses cell by cell.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from charset_normalizer import from_bytes
from django.utils.translation import gettext

SAMPLE_BYTES = 64 * 1024
FORMULA = "=formula"  # a cell value the reader puts in place of a formula


class FileProblem(Exception):
    """The file cannot be imported as it is; nothing was written."""


@dataclass
class Sheet:
    """An opened import file: its header, its rows (dicts by header) and how it was read."""

    columns: list[str]
    rows: Iterator[tuple[int, dict[str, str]]]  # (line or row number in the file, values by column)
    format: str
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""


def sha256_of(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def open_sheet(path, *, name: str = "", encoding: str = "", delimiter: str = "", sheet: str = "") -> Sheet:
    """Open ``path`` (a CSV or an XLSX file, told apart by content, not name)."""
    with open(path, "rb") as handle:
        head = handle.read(SAMPLE_BYTES)
    if not head.strip():
        raise FileProblem(gettext("The file is empty."))
    if head.startswith(b"PK\x03\x04"):
        return _open_xlsx(path, sheet=sheet)
    if name.lower().endswith((".xls", ".ods")) or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(
            gettext("This is an old Excel (.xls) or OpenDocument file: save it as .xlsx or .csv and try again.")
        )
    return _open_csv(path, head, encoding=encoding, delimiter=delimiter)


# ------------------------------------------------------------------------ CSV


def guess_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM) and UTF-16 by their marks; otherwise UTF-8 if it
    decodes, else what charset-normalizer finds most likely (cp1251, euc-kr, ...)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        if error.start > len(head) - 4:  # a character cut by the sample's end
            return "utf-8"
    best = from_bytes(head).best()
    if best is None:
        raise FileProblem(
            gettext("The file's encoding could not be recognised: choose it (e.g. cp1251, euc-kr) and retry.")
        )
    return best.encoding


def _open_csv(path, head: bytes, *, encoding: str, delimiter: str) -> Sheet:
    encoding = encoding or guess_encoding(head)
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise FileProblem(f"“{encoding}” is not an encoding Vigil knows.") from None
    try:
        text = head.decode(encoding, errors="strict") if encoding != "utf-8" else head.decode("utf-8", "ignore")
    except UnicodeDecodeError:
        text = head.decode(encoding, errors="ignore")
    if "\x00" in text:
        raise FileProblem(
            gettext("The file does not read as %(encoding)s text: choose its encoding and retry.")
            % {"encoding": encoding}
        )
    if not delimiter:
        try:
            delimiter = csv.Sniffer().sniff(text.split("\n", 20)[0] if "\n" in text else text, ",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    handle = open(path, encoding=encoding, errors="strict", newline="")  # noqa: SIM115 (closed by the generator)
    reader = csv.reader(handle, delimiter=delimiter)
    try:
        header = next(reader)
    except UnicodeDecodeError:
        handle.close()
        raise FileProblem(
            gettext("The file does not read as %(encoding)s: choose its encoding and retry.") % {"encoding": encoding}
        ) from None
    columns = _columns(header)

    def rows():
        try:
            for values in reader:
                yield reader.line_num, dict(zip(columns, _padded(values, len(columns)), strict=True))
        except UnicodeDecodeError as error:
            raise FileProblem(
                gettext(
                    "Line %(line)s does not read as %(encoding)s (%(reason)s): "
                    "the file mixes encodings, or it is another one; choose it and retry."
                )
                % {"line": reader.line_num + 1, "encoding": encoding, "reason": error.reason}
            ) from None
        except csv.Error as error:
            raise FileProblem(
                gettext("Line %(line)s: %(error)s.") % {"line": reader.line_num, "error": error}
            ) from None
        finally:
            handle.close()

    return Sheet(columns=columns, rows=rows(), format="csv", encoding=encoding, delimiter=delimiter)


def _padded(values: list[str], width: int) -> list[str]:
    return (list(values) + [""] * width)[:width]


def _columns(header) -> list[str]:
    columns = [("" if value is None else str(value)).strip() for value in header]
    while columns and not columns[-1]:
        columns.pop()
    if not any(columns):
        raise FileProblem(gettext("The first row is empty: it must name the columns."))
    seen: set[str] = set()
    for index, column in enumerate(columns):
        if not column:
            raise FileProblem(gettext("Column %(number)s has no name in the first row.") % {"number": index + 1})
        if column in seen:
            raise FileProblem(gettext("Two columns are called “%(column)s”: rename one.") % {"column": column})
        seen.add(column)
    return columns


# ----------------------------------------------------------------------- XLSX


def _has_merged_cells(archive: zipfile.ZipFile, member: str) -> bool:
    """Whether the sheet's XML declares merged cells (read in pieces: constant memory)."""
    tail = b""
    with archive.open(member) as source:
        while chunk := source.read(256 * 1024):
            if b"<mergeCell " in tail + chunk or b":mergeCell " in tail + chunk:
                return True
            tail = chunk[-16:]
    return False


def _open_xlsx(path, *, sheet: str) -> Sheet:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise FileProblem(gettext("This is not a readable .xlsx file.")) from None
    if sheet and sheet not in workbook.sheetnames:
        workbook.close()
        raise FileProblem(
            gettext("There is no sheet “%(sheet)s”; the sheets are: %(sheets)s.")
            % {
                "sheet": sheet,
                "sheets": ", ".join(workbook.sheetnames),
            }
        )
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    if _has_merged_cells(workbook._archive, worksheet._worksheet_path):
        workbook.close()
        raise FileProblem(
            gettext("The sheet “%(sheet)s” has merged cells: unmerge them (one value per cell) and retry.")
            % {"sheet": worksheet.title}
        )
    rows_iter = worksheet.iter_rows()
    try:
        header_cells = next(rows_iter)
    except StopIteration:
        workbook.close()
        raise FileProblem(gettext("The sheet is empty.")) from None
    columns = _columns([cell.value for cell in header_cells])

    def rows():
        try:
            for number, cells in enumerate(rows_iter, start=2):
                values = {}
                for column, cell in zip(columns, _padded(list(cells), len(columns)), strict=True):
                    values[column] = _cell_text(cell)
                yield number, values
        finally:
            workbook.close()

    return Sheet(columns=columns, rows=rows(), format="xlsx", sheet=worksheet.title)


def _cell_text(cell) -> str:
    if cell is None or isinstance(cell, str):
        return ""
    value = cell.value
    if getattr(cell, "data_type", "") == "f" or (isinstance(value, str) and value.startswith("=")):
        return FORMULA
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.date().isoformat() if hasattr(value, "date") and callable(value.date) else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def preview(path, *, name: str = "", limit: int = 10, **options) -> tuple[Sheet, list[dict[str, str]]]:
    """The header and the first rows, for the mapping builder."""
    sheet = open_sheet(path, name=name, **options)
    rows = []
    for _number, values in sheet.rows:
        rows.append(values)
        if len(rows) >= limit:
            break
    sheet.rows.close()
    return sheet, rows
