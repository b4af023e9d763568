"""What a newer app adds to the self-assessment, registered from its AppConfig.ready().

The technician-voice app, for one, fills each pillar's "Technician voice" from its surveys:

    from commitment.hooks import register_self_assessment_voice
    register_self_assessment_voice(voice_evidence)

where `voice_evidence(submission, pillar) -> list[str]` returns paragraphs (an empty list when
it has nothing for that pillar). `register_self_assessment_section(name, title, fn)` adds any
other block to each pillar the same way. Registering the same name with the same function
again is harmless; another function under a taken name is a programming error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# fn(submission, pillar) -> list of paragraphs
SectionFn = Callable[[Any, str], list[str]]

VOICE = "voice"


@dataclass(frozen=True)
class SelfAssessmentSection:
    name: str
    title: str
    fn: SectionFn


_sections: dict[str, SelfAssessmentSection] = {}


def register_self_assessment_section(name: str, title: str, fn: SectionFn) -> None:
    existing = _sections.get(name)
    if existing is not None and existing.fn is not fn:
        raise ValueError(f"A self-assessment section named {name!r} is already registered.")
    _sections[name] = SelfAssessmentSection(name, title, fn)


def register_self_assessment_voice(fn: SectionFn) -> None:
    """The technician voice's evidence for a pillar (shown under "Technician voice")."""
    register_self_assessment_section(VOICE, "Technician voice", fn)


def unregister(name: str) -> None:
    """For tests."""
    _sections.pop(name, None)


def sections() -> list[SelfAssessmentSection]:
    return list(_sections.values())


def voice_paragraphs(submission: Any, pillar: str) -> list[str]:
    section = _sections.get(VOICE)
    return [text for text in (section.fn(submission, pillar) if section else []) if text]


def other_sections(submission: Any, pillar: str) -> list[dict[str, Any]]:
    return [
        {"title": section.title, "paragraphs": [p for p in section.fn(submission, pillar) if p]}
        for section in _sections.values()
        if section.name != VOICE
    ]
