"""Who acts when no web user does: the trusted operator of a management command.

Services take the acting user (`by`, or `user` first) and check them. A management command
(`manage.py import_actions …`) is run by someone who holds the server, and so the database,
already: checking their role would prove nothing. Such a command passes `COMMAND_LINE` as the
actor. A service that lets the command line act says so in its docstring and asks
`is_command_line(actor)` before its role check; every other actor is checked as usual.

`COMMAND_LINE` is a sentinel, not a user: it is never logged in, has no primary key, passes no
role check of `portal.permissions`, and history rows written for it name nobody. A web request
can never produce it (a request's user is a User or AnonymousUser), nor can `None` passed by
mistake: only this one object means "the command line".
"""

from __future__ import annotations

from typing import Any


class CommandLineOperator:
    """The person running a management command on the server (see the module's docstring)."""

    is_authenticated = False
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None
    email = ""

    def __str__(self) -> str:
        return "the command line"

    def __repr__(self) -> str:
        return "COMMAND_LINE"

    def __copy__(self) -> CommandLineOperator:
        return self

    def __deepcopy__(self, memo: dict) -> CommandLineOperator:
        return self


COMMAND_LINE = CommandLineOperator()


def is_command_line(actor: Any) -> bool:
    """Whether `actor` is the trusted command-line operator (and nothing else is)."""
    return actor is COMMAND_LINE
