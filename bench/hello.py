"""The ceiling: the minimal Django "hello" app, served by the same gunicorn as the portal.

    gunicorn bench.hello:app

One URL, one view that answers "Hello", no middleware, no database: what Django itself costs
per request on this machine, so each page's rate can be given as a share of it.
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="hello-" + "x" * 50,
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)


def hello(request):
    return HttpResponse(b"Hello", content_type="text/plain")


urlpatterns = [path("", hello)]

app = get_wsgi_application()
