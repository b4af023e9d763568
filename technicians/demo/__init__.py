"""Demo data: a realistic, deterministic university's technical staff, and one login per role.

- `data.py`: the word lists and structure (faculties, departments, names, titles, skills, kit,
  the demo logins), data only;
- `people.py`: draws the technicians from them with a fixed seed (no database access), so two
  runs give the same people and technician i is the same whatever the count (each with the
  names and levels of their skills, which the skills app's seeder writes);
- `seed.py`: `seed_demo(technicians=N, stdout=...)`, which writes whatever is missing. It is
  registered as the "technicians" seeder that `manage.py seed_demo` runs first.
"""

from technicians.demo.data import (
    DEFAULT_TECHNICIANS,
    DEMO_LOGINS,
    DEMO_PASSWORD,
    DEPARTMENTS,
    DOMAIN,
    FACULTIES,
    SEED,
    SKILLS,
    TEAM_SIZE,
    DemoLogin,
)
from technicians.demo.people import (
    DemoTechnician,
    demo_login_technicians,
    generate_technicians,
    staff_number_for,
)
from technicians.demo.seed import SeedResult, demo_people, seed_demo

__all__ = [
    "DEFAULT_TECHNICIANS",
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "DEPARTMENTS",
    "DOMAIN",
    "FACULTIES",
    "SEED",
    "SKILLS",
    "TEAM_SIZE",
    "DemoLogin",
    "DemoTechnician",
    "SeedResult",
    "demo_login_technicians",
    "demo_people",
    "generate_technicians",
    "seed_demo",
    "staff_number_for",
]
