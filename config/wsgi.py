import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# What the started portal holds (modules, models, URL patterns, settings) lives as long as the
# process. Frozen, the garbage collector stops walking it at each full collection: about half a
# millisecond a request under a mixed load (docs/performance.md).
gc.freeze()
