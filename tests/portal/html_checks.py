"""Small accessibility checks on rendered HTML, with the standard library's parser."""

from __future__ import annotations

from html.parser import HTMLParser

NOT_LABELLED = {"hidden", "submit", "button", "reset", "image"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.h1 = 0
        self.inputs: list[dict[str, str | None]] = []
        self.label_targets: set[str] = set()
        self.in_label = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "h1":
            self.h1 += 1
        elif tag == "label":
            self.in_label += 1
            if attributes.get("for"):
                self.label_targets.add(attributes["for"])
        elif tag in {"input", "select", "textarea"}:
            if tag == "input" and (attributes.get("type") or "text") in NOT_LABELLED:
                return
            attributes["_wrapped"] = "yes" if self.in_label else None
            self.inputs.append(attributes)

    def handle_endtag(self, tag):
        if tag == "label" and self.in_label:
            self.in_label -= 1


def inspect(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def unlabelled_inputs(html: str) -> list[str]:
    """Names of form controls with no <label> (by for= or wrapping) and no aria-label."""
    page = inspect(html)
    return [
        str(control.get("name") or control.get("id"))
        for control in page.inputs
        if not (
            control.get("_wrapped")
            or control.get("aria-label")
            or control.get("aria-labelledby")
            or (control.get("id") and control["id"] in page.label_targets)
        )
    ]


def h1_count(html: str) -> int:
    return inspect(html).h1


def input_names(html: str) -> list[str]:
    return [str(control.get("name")) for control in inspect(html).inputs]
