"""The import framework every CSV import of the portal uses (kernel: it imports no app).

An import is two steps. The preview reads the file through the import's column types
(`portal.imports.columns`), reports every bad row with its line and reason, and lists what
would change; the list has a fingerprint. The uploaded file waits in a `PendingImport` row
(`portal.imports.pending`, stored outside public media) for at most an hour. Applying
re-reads the same file under lock, recomputes the fingerprint and refuses if it differs (the
data changed since the preview); otherwise it changes everything or nothing and records an
`ImportRun`. `portal.imports.views.ImportPage` is the page both steps share.

- `reading`: the capped upload, UTF-8, CSV with at most 200 columns and 1,000,000 cells;
- `columns`: the column kinds (text, e-mail, date, yes/no, choice, decimal, reference);
- `pending`: PendingImport and ImportRun helpers, the fingerprint;
- `views`: the shared upload / preview / apply / cancel page.
"""

from portal.imports.reading import (
    DEFAULT_MAX_BYTES,
    MAX_CELLS,
    MAX_COLUMNS,
    OVERLONG_ROW,
    CsvRows,
    ImportFileError,
    Preview,
    RowError,
    decode_csv_text,
    fingerprint_of,
    parse_csv,
    read_upload_bytes,
    read_upload_text,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_CELLS",
    "MAX_COLUMNS",
    "OVERLONG_ROW",
    "CsvRows",
    "ImportFileError",
    "Preview",
    "RowError",
    "decode_csv_text",
    "fingerprint_of",
    "parse_csv",
    "read_upload_bytes",
    "read_upload_text",
]
