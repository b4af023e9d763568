import re

from django.core.exceptions import ValidationError

ORCID_PATTERN = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")


def orcid_check_digit(digits: str) -> str:
    """The ISO 7064 11,2 check digit of an ORCID iD's first 15 digits, as ORCID specifies."""
    total = 0
    for char in digits:
        total = (total + int(char)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def orcid_checksum_ok(orcid: str) -> bool:
    digits = orcid.replace("-", "")
    return digits[-1] == orcid_check_digit(digits[:-1])


def validate_orcid(value: str) -> None:
    if not ORCID_PATTERN.match(value or ""):
        raise ValidationError("An ORCID iD looks like 0000-0002-1825-0097.")
    if not orcid_checksum_ok(value):
        raise ValidationError("This ORCID iD's check digit is wrong: please copy it again.")
