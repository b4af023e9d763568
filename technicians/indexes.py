"""Database indexes of the technicians app (kept apart from technicians.search, which reads
the models: the models import this module and nothing that imports them)."""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.db import models


class SearchVectorIndex(GinIndex):
    """A GIN index on PostgreSQL; a plain index elsewhere, where GIN does not exist (SQLite
    keeps the empty column, so the migrations and table rebuilds there still run)."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return models.Index.create_sql(self, model, schema_editor, **kwargs)
        return super().create_sql(model, schema_editor, using=using, **kwargs)
