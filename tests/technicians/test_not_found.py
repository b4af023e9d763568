"""A profile you may not see, or that does not exist, shows the portal's own 404 page, also
with DEBUG on (not Django's technical page), and does not tell which of the two it is."""

import pytest

from tests import factories


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.mark.django_db
def test_a_missing_and_a_private_profile_get_the_same_portal_404(debug, login, personas):
    private = factories.TechnicianFactory(
        department=personas.technician_profile.department, visibility="private"
    )
    client = login(personas.technician)
    pages = []
    for pk in (999999, private.pk):
        response = client.get(f"/technicians/{pk}/")
        assert response.status_code == 404
        html = response.content.decode()
        assert "<h1>Page not found</h1>" in html
        assert "it may not exist, or it is not shared with you" in html
        assert "Technician Commitment" in html  # the portal's layout
        assert "Django tried these URL patterns" not in html
        pages.append(html.split("<main", 1)[1].split("</main>", 1)[0])
    assert pages[0] == pages[1]
