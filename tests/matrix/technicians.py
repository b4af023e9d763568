"""The directory's URLs: list, profiles by visibility, my profile, photos, departments, and the
public Meet our technicians page. (Import/export rows are in staff_list.py.)"""

from technicians.models import Technician
from tests import factories
from tests.matrix import Row, everyone, staff

HR_ONLY = {"hr": 200, "admin": 200}


def setup(world) -> None:
    department = world.technician_profile.department
    world.directory_department = department

    def profile(visibility, **extra):
        technician = factories.TechnicianFactory(
            department=department, visibility=visibility, **extra
        )
        return factories.attach_photo(technician)

    world.public_profile = profile(Technician.Visibility.PUBLIC)
    world.internal_profile = profile(Technician.Visibility.INTERNAL)
    world.private_profile = profile(Technician.Visibility.PRIVATE)
    world.leaver_profile = profile(Technician.Visibility.PUBLIC, is_active=False)


def _detail(attr):
    return lambda w: f"/technicians/{getattr(w, attr).pk}/"


def _photo(attr, size="thumb"):
    return lambda w: f"/technicians/{getattr(w, attr).pk}/photo/{size}/"


# Invalid on purpose (a bad ORCID iD), so the POST changes nothing and can be repeated.
INVALID_PROFILE = {
    "orcid": "0000-0002-1825-0098",
    "visibility": "internal",
    "skills-TOTAL_FORMS": "0",
    "skills-INITIAL_FORMS": "0",
}

ROWS = [
    Row("technicians:list", lambda w: "/technicians/", staff(200)),
    Row("technicians:detail", _detail("public_profile"), everyone(200), note=" public"),
    Row("technicians:detail", _detail("internal_profile"), staff(200), note=" internal"),
    Row("technicians:detail", _detail("private_profile"), staff(404, **HR_ONLY), note=" private"),
    Row("technicians:detail", _detail("leaver_profile"), staff(404, **HR_ONLY), note=" leaver"),
    Row("technicians:me", lambda w: "/technicians/me/", staff(200)),
    Row(
        "technicians:people_search",
        lambda w: "/technicians/people/search/?field=technician&technician=a",
        staff(200),
    ),
    Row(
        "technicians:people_search",
        lambda w: "/technicians/people/search/?q=a&scope=team&accounts=1",
        staff(200),
        note=" team",
    ),
    Row(
        "technicians:me",
        lambda w: "/technicians/me/",
        staff(200),
        method="post",
        data=lambda w: INVALID_PROFILE,
        note=" invalid",
    ),
    Row(
        "technicians:department",
        lambda w: f"/technicians/departments/{w.directory_department.slug}/",
        everyone(200),  # public: its public profiles and the helpdesk address
    ),
    Row("technicians:photo", _photo("public_profile"), everyone(200), note=" public"),
    Row("technicians:photo", _photo("internal_profile", "full"), staff(200), note=" internal"),
    Row(
        "technicians:photo",
        _photo("private_profile"),
        staff(404, **HR_ONLY),
        note=" private",
    ),
    Row("public:index", lambda w: "/meet-our-technicians/", everyone(200)),
    # Data protection: my own data (a persona without a profile: 404), HR's copy, who looked.
    Row(
        "technicians:my_data",
        lambda w: "/technicians/me/my-data.zip",
        staff(404, technician=200, manager=200),
    ),
    Row(
        "technicians:data",
        lambda w: f"/technicians/{w.private_profile.pk}/data.zip",
        staff(403, **HR_ONLY),
    ),
    Row(
        "technicians:access_log",
        lambda w: f"/technicians/{w.private_profile.pk}/access-log/",
        staff(403, **HR_ONLY),
    ),
]
