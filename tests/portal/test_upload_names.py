"""Uploads are stored under a random name, never the uploaded one (portal.uploads)."""

import re

from portal.uploads import random_upload_name


def test_a_random_name_keeps_only_the_suffix():
    assert re.fullmatch(
        r"evidence/[0-9a-f]{32}\.pdf", random_upload_name("evidence", "../My CV.PDF")
    )
    assert re.fullmatch(r"photos/[0-9a-f]{32}\.bin", random_upload_name("photos", "no-suffix"))
    assert random_upload_name("x", "a.verylongsuffix").endswith(".verylong")
    assert random_upload_name("x", "a.pdf") != random_upload_name("x", "a.pdf")
