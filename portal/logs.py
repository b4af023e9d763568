"""Logging helpers named in settings.LOGGING."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied


class PermissionRefusalFilter(logging.Filter):
    """On the `django.request` logger: a refusal (403) is not an error. Django logs each one as
    a warning with the full traceback; the 403 handler (config.views.permission_denied) logs it
    at INFO instead, with the user, path and reason, so those records are dropped here. Any
    other 403 (a view returning one itself) is kept, at INFO and without a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) != 403:
            return True
        exception = record.exc_info[1] if record.exc_info else None
        if isinstance(exception, PermissionDenied):
            return False
        record.exc_info = None
        record.exc_text = None
        record.levelno = logging.INFO
        record.levelname = logging.getLevelName(logging.INFO)
        return True
