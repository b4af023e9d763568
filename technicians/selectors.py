"""Read-only queries shared by several views of the directory."""

from technicians.models import Technician


def active_technician_with_email(email: str) -> Technician | None:
    return Technician.objects.filter(email__iexact=email.strip(), is_active=True).first()
