"""Limits on what an import reads, so a hostile or broken file gets a message instead of a crash or a swamped PC."""

from __future__ import annotations

from xinfang_desktop.core.errors import DomainError

MAX_FILE_BYTES = 64 * 1024 * 1024  # a 100,000-row 台账 is 10–25 MB as .xlsx
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024  # the XML inside an .xlsx
MAX_COMPRESSION_RATIO = 200  # zip bombs compress thousands of times; real sheets 5–20 times
MAX_DATA_ROWS = 200_000
MAX_SHEET_CELLS = 12_000_000  # rows × columns of the used range: the reader holds it whole
MAX_EMPTY_RUN = 10_000  # this many empty rows after the data: the rest of the sheet is not read


class ImportFileError(DomainError):
    """A file that cannot be imported at all; the message is for the clerk and the CLI alike (Chinese)."""
