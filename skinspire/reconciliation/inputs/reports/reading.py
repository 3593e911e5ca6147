"""A report file to rows, with django-import-export's readers (tablib underneath)."""

import tablib
from import_export.formats import base_formats

from skinspire.core.errors import ApplicationError
from skinspire.core.spreadsheets import UNREADABLE, workbook_unpacked_size_check

READERS = {".csv": base_formats.CSV(), ".xlsx": base_formats.XLSX()}


def report_read(*, content: bytes, file_name: str) -> tablib.Dataset:
    extension = "." + file_name.rsplit(".", 1)[-1].casefold() if "." in file_name else ""
    reader = READERS.get(extension)
    if reader is None:
        raise ApplicationError(
            "Upload the gateway's settlement report as a .csv or .xlsx file.",
            extra={"fields": {"file": [f"'{file_name}' is neither."]}},
        )
    try:
        if extension == ".xlsx":
            workbook_unpacked_size_check(content)
        stream = content.decode("utf-8-sig") if extension == ".csv" else content
        return reader.create_dataset(stream)
    except UNREADABLE as error:
        raise ApplicationError(
            f"'{file_name}' could not be read as a {extension} file; export it again from the gateway's dashboard.",
            extra={"fields": {"file": [str(error) or type(error).__name__]}},
        ) from error
