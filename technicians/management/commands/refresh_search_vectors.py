"""manage.py refresh_search_vectors: rebuild every technician's stored search vector.

The portal keeps the vectors current itself (technicians.search); this is for data changed
behind its back, such as an UPDATE typed into psql. Does nothing off PostgreSQL."""

from django.core.management.base import BaseCommand

from technicians.search import refresh_search_vectors, uses_stored_vector


class Command(BaseCommand):
    help = "Rebuild the directory's stored search vectors (PostgreSQL)."

    def handle(self, *args, **options):
        if not uses_stored_vector():
            self.stdout.write("Not PostgreSQL: the directory searches the fields themselves.")
            return
        written = refresh_search_vectors()
        self.stdout.write(self.style.SUCCESS(f"{written} search vectors rebuilt."))
