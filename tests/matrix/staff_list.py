"""HR's staff list: import (the page, and a POST that can be repeated) and export."""

from tests.matrix import Row, staff

HR_ONLY = staff(403, hr=200, admin=200)


def setup(world) -> None:
    pass


ROWS = [
    Row("technicians:import", lambda w: "/technicians/import/", HR_ONLY),
    # An upload without a file: the form again, with its error; nothing changes.
    Row(
        "technicians:import",
        lambda w: "/technicians/import/",
        HR_ONLY,
        method="post",
        data=lambda w: {"action": "upload"},
        note=" (upload without a file)",
    ),
    # Applying an unknown token: back to the page with a message; nothing changes.
    Row(
        "technicians:import",
        lambda w: "/technicians/import/",
        staff(403, hr=302, admin=302),
        method="post",
        data=lambda w: {"action": "apply", "token": "no-such-token"},
        note=" (apply a stale token)",
    ),
    Row("technicians:export", lambda w: "/technicians/export.csv", HR_ONLY),
    Row("technicians:import_sample", lambda w: "/technicians/import/sample.csv", HR_ONLY),
    # Saving the column mapping without its required columns: the page again, with errors.
    Row(
        "technicians:import",
        lambda w: "/technicians/import/",
        HR_ONLY,
        method="post",
        data=lambda w: {"action": "save_mapping"},
        note=" (save an incomplete mapping)",
    ),
    # The mapping step of a file that no longer waits: back to the page; nothing changes.
    Row(
        "technicians:import",
        lambda w: "/technicians/import/",
        staff(403, hr=302, admin=302),
        method="post",
        data=lambda w: {"action": "map", "token": "no-such-token"},
        note=" (map the columns of an unknown file)",
    ),
]
