from tests.matrix import Row, everyone, staff


def setup(world) -> None:
    pass


ROWS = [
    Row("home", lambda w: "/", staff(200)),
    Row("healthz", lambda w: "/healthz", everyone(200)),
]
