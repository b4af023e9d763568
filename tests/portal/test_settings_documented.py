"""Every setting config/settings.py reads from the environment is documented in docs/."""

import re

from django.conf import settings

READERS = (
    r"\b(?:env|env_bool|env_list|env_int|env_float|env_decimal|getenv)"
    r"\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']"
)
ENVIRON = r"os\.environ(?:\.get\(|\[)\s*[\"']([A-Z][A-Z0-9_]*)[\"']"


def environment_names() -> set[str]:
    source = (settings.BASE_DIR / "config" / "settings.py").read_text(encoding="utf-8")
    return set(re.findall(READERS, source)) | set(re.findall(ENVIRON, source))


def test_the_scan_finds_the_settings_read_from_the_environment():
    names = environment_names()
    assert {"DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "REDIS_URL"} <= names
    assert len(names) > 40


def test_every_setting_read_from_the_environment_is_documented_in_docs():
    docs = "\n".join(
        path.read_text(encoding="utf-8") for path in (settings.BASE_DIR / "docs").glob("*.md")
    )
    missing = sorted(name for name in environment_names() if f"`{name}`" not in docs)
    assert not missing, f"Document these settings in docs/ (e.g. deployment.md): {missing}"
