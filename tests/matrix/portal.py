from tests.matrix import Row, everyone, staff


def setup(world) -> None:
    pass


ROWS = [
    Row("home", lambda w: "/", staff(200)),
    Row("healthz", lambda w: "/healthz", everyone(200)),
    Row("privacy", lambda w: "/privacy/", everyone(200)),
    Row("favicon", lambda w: "/favicon.ico", everyone(301)),
    # Replaces allauth's e-mail management: shows the address, never adds or changes one.
    Row("account_email", lambda w: "/accounts/email/", staff(200)),
    Row(
        "account_email",
        lambda w: "/accounts/email/",
        staff(405),
        method="post",
        data=lambda w: {"email": "someone.else@example.ac.uk", "action_add": ""},
        note=" (adding an address)",
    ),
]
