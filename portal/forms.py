"""Form helpers every app shares (kernel: no app): a service's refusal shown on the form that
asked for the change, and the people picker's widget."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import DjangoTemplates
from django.urls import reverse
from django.utils.choices import BaseChoiceIterator, normalize_choices
from django.utils.safestring import mark_safe
from django_filters import fields as filter_fields

from portal.markup import escaped

Result = TypeVar("Result")


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """The service's errors on the form: by field where the field is on the form, else for
    the form as a whole."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def call_service(
    form: forms.BaseForm, service: Callable[..., Result], *args: Any, **kwargs: Any
) -> Result | None:
    """The service's result, or None when it refused the values: its errors are then shown on
    the form (`add_service_errors`)."""
    try:
        return service(*args, **kwargs)
    except ValidationError as error:
        add_service_errors(form, error)
        return None


# --- the form renderer: Django's markup, without the template engine where it is hot ---------


SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
# Django's templates of single <input> widgets: each only includes input.html.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time",
        "search", "tel", "color", "checkbox", "input", "file",
    )
)  # fmt: skip
CLEARABLE_FILE_TEMPLATE = "django/forms/widgets/clearable_file_input.html"
TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"
# Radio buttons and boxes to tick: one <input> in a <label> per option.
MULTIPLE_INPUT_TEMPLATES = frozenset(
    {"django/forms/widgets/radio.html", "django/forms/widgets/checkbox_select.html"}
)
INPUT_OPTION_TEMPLATES = frozenset(
    {"django/forms/widgets/radio_option.html", "django/forms/widgets/checkbox_option.html"}
)
ERROR_LIST_TEMPLATES = frozenset(
    {"django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"}
)


class PortalFormRenderer(DjangoTemplates):
    """Django's form renderer (settings.FORM_RENDERER), with every list box, single input,
    text area, file input and set of radio buttons or boxes to tick written in Python, and a
    field with no errors not asking the template engine to write nothing.

    Django draws a <select> through a template and one include per option: a form with many
    long lists (the directory's filters, the skills rows of "my profile", an action plan's
    filters) spent most of its page there. The markup is Django's, character for character
    (tests/portal/test_form_renderer.py); any other template, or a list whose options use a
    template of their own, is rendered by Django as usual."""

    def render(self, template_name, context, request=None):
        if template_name in ERROR_LIST_TEMPLATES and not context.get("errors"):
            return ""  # what the template writes for no errors: every field asks, every time
        if template_name in INPUT_TEMPLATES:
            return _input_html(context["widget"])
        if template_name == SELECT_TEMPLATE:
            written = _select_html(context["widget"])
            if written is not None:
                return written
        if template_name == CLEARABLE_FILE_TEMPLATE:
            return _clearable_file_html(context["widget"])
        if template_name == TEXTAREA_TEMPLATE:
            return _textarea_html(context["widget"])
        if template_name in MULTIPLE_INPUT_TEMPLATES:
            written = _multiple_input_html(context["widget"])
            if written is not None:
                return written
        return super().render(template_name, context, request=request)


def _attrs_html(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: True as a bare name, False left out."""
    return "".join(
        f" {escaped(name)}" if value is True else f' {escaped(name)}="{escaped(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input_html(widget: dict) -> str:
    """django/forms/widgets/input.html: a value of None is left out, "" is written."""
    value = widget["value"]
    written_value = "" if value is None else f' value="{escaped(str(value))}"'
    return mark_safe(  # noqa: S308 (every value is escaped)
        f'<input type="{escaped(widget["type"])}" name="{escaped(widget["name"])}"'
        f"{written_value}{_attrs_html(widget['attrs'])}>"
    )


def _clearable_file_html(widget: dict) -> str:
    """django/forms/widgets/clearable_file_input.html: the file kept now, with a box to clear
    it when the field is optional, then the input."""
    parts = []
    if widget["is_initial"]:
        kept = widget["value"]
        link = f'<a href="{escaped(kept.url)}">{escaped(kept)}</a>'
        parts.append(f"{escaped(widget['initial_text'])}: {link}")
        if not widget["required"]:
            attrs = widget["attrs"]
            box_id = escaped(widget["checkbox_id"])
            parts.append(
                f'\n<input type="checkbox" name="{escaped(widget["checkbox_name"])}" id="{box_id}"'
                f"{' disabled' if attrs.get('disabled') else ''}"
                f"{' checked' if attrs.get('checked') else ''}>"
                f'\n<label for="{box_id}">{escaped(widget["clear_checkbox_label"])}</label>'
            )
        parts.append(f"<br>\n{escaped(widget['input_text'])}:")
    parts.append(
        f'\n<input type="{escaped(widget["type"])}" name="{escaped(widget["name"])}"'
        f"{_attrs_html(widget['attrs'])}>"
    )
    return mark_safe("".join(parts).strip())  # noqa: S308 (every value is escaped)


def _textarea_html(widget: dict) -> str:
    value = widget["value"]
    return mark_safe(  # noqa: S308 (every value is escaped)
        f'<textarea name="{escaped(widget["name"])}"{_attrs_html(widget["attrs"])}>\n'
        f"{escaped(value) if value else ''}</textarea>"
    )


def _multiple_input_html(widget: dict) -> str | None:
    """django/forms/widgets/multiple_input.html, each option as input_option.html writes it
    (the included templates' closing newlines kept, as Django keeps them)."""
    attrs = widget["attrs"]
    parts = [
        "<div",
        f' id="{escaped(attrs["id"])}"' if attrs.get("id") else "",
        f' class="{escaped(attrs["class"])}"' if attrs.get("class") else "",
        ">",
    ]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f"\n  <div><label>{escaped(group_name)}</label>")
        for option in options:
            if option["template_name"] not in INPUT_OPTION_TEMPLATES:
                return None
            written = _input_html(option) + "\n"
            if option["wrap_label"]:
                option_id = option["attrs"].get("id")
                label_for = f' for="{escaped(option_id)}"' if option_id else ""
                written = f"<label{label_for}>{written} {escaped(option['label'])}</label>"
            parts.append(f"<div>\n    {written}\n\n</div>")
        if group_name:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return mark_safe("".join(parts))  # noqa: S308 (every value is escaped)


def _select_html(widget: dict) -> str | None:
    parts = [f'<select name="{escaped(widget["name"])}"', _attrs_html(widget["attrs"]), ">"]
    shared = widget.get("shared_choices")
    if shared is not None:  # SharedChoicesSelect: the options as written once
        parts += [shared.options_html(widget["value"]), "\n</select>"]
        return mark_safe("".join(parts))  # noqa: S308 (every value is escaped)
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escaped(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            attrs = _attrs_html(option["attrs"]) if option["attrs"] else ""
            # The option template ends in a newline, which Django's markup keeps.
            parts.append(
                f'\n  <option value="{escaped(str(option["value"]))}"{attrs}>'
                f"{escaped(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 (every value is escaped above)


# --- a form's field with its label, errors and help: `{% form_field field %}` ---------------


def field_html(field) -> str:
    """The portal's markup for one field of a form (a `BoundField`): its label, marked
    "(optional)" when it is, its errors (each with the field's id, for `aria-describedby`),
    the widget, and its help text. Written here, not by a template included per field: a form
    of ten fields spent half a millisecond in the includes alone."""
    errors = field.errors
    optional = "" if field.field.required else ' <span class="muted">(optional)</span>'
    error_list = (
        f'<ul class="errorlist" id="{escaped(field.auto_id)}_errors">'
        + "".join(f"<li>{escaped(error)}</li>" for error in errors)
        + "</ul>"
        if errors
        else ""
    )
    help_text = (
        f'<span class="helptext" id="{escaped(field.auto_id)}_helptext">'
        f"{escaped(field.help_text)}</span>"
        if field.help_text
        else ""
    )
    return mark_safe(  # noqa: S308 (every value escaped)
        f'<div class="field{" field-error" if errors else ""}">\n'
        f'  <label for="{escaped(field.id_for_label)}">{escaped(field.label)}{optional}</label>\n'
        f"  {error_list}\n"
        f"  {escaped(field)}\n"
        f"  {help_text}\n"
        "</div>\n"
    )


# --- list boxes of model choices: one query, not a server-side cursor ---------------------


class ListedModelChoiceIterator(ModelChoiceIterator):
    """Django's choices of a model's rows, read with one plain query.

    Django reads them with `QuerySet.iterator()`, which on PostgreSQL opens a server-side
    cursor: three round trips (declare, fetch, close) for every list box on every page, for
    lists that are short by nature (departments, skills, registers: a list of people is a
    search box, `PersonPicker`). Set on ModelChoiceField and django-filter's by
    PortalConfig.ready(). A clone is read, so a form class's own field never keeps rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ListedFilterChoiceIterator(filter_fields.ModelChoiceIterator, ListedModelChoiceIterator):
    """django-filter's choices (its "null" choice after the empty one), read as above."""


def use_listed_model_choices() -> None:
    forms.ModelChoiceField.iterator = ListedModelChoiceIterator
    filter_fields.ModelChoiceField.iterator = ListedFilterChoiceIterator
    filter_fields.ModelMultipleChoiceField.iterator = ListedFilterChoiceIterator


# --- one list of choices shared by many list boxes --------------------------------------


class SharedChoices(BaseChoiceIterator):
    """Choices put in Django's canonical form once, for the many list boxes that show them
    (every row of a formset): a widget or field given a plain list normalises it again, a
    walk of every option and group for every row."""

    def __init__(self, choices: Any) -> None:
        self.normalized = list(normalize_choices(choices))
        self._options: list[tuple[str | None, str, str]] | None = None

    def __iter__(self):
        return iter(self.normalized)

    def __len__(self) -> int:
        return len(self.normalized)

    def __deepcopy__(self, memo: dict) -> SharedChoices:
        # Shared and never changed once made: every form built copies its fields deeply, and
        # copying the options (a hundred skills, forty departments) was most of that.
        return self

    def options_html(self, chosen: list[str]) -> str:
        """The <option>s (and <optgroup>s) of a single-choice <select>, as Django writes them,
        the first option whose value is in `chosen` selected (`SharedChoicesSelect`)."""
        if self._options is None:
            self._options = list(_option_parts(self.normalized))
        parts = []
        selected = False
        for value, plain, marked in self._options:
            if not selected and value is not None and value in chosen:
                parts.append(marked)
                selected = True
            else:
                parts.append(plain)
        return "".join(parts)


def _option_parts(choices: list) -> Iterator[tuple[str | None, str, str]]:
    """(value, markup, markup when selected) for each option of Django's `optgroups`, and
    (None, markup, markup) for the opening and closing of each group."""
    for option_value, option_label in choices:
        if isinstance(option_label, (list, tuple)):
            yield None, f'\n  <optgroup label="{escaped(option_value)}">', ""
            for value, label in option_label:
                yield _option_part(value, label)
            yield None, "\n  </optgroup>", ""
        else:
            yield _option_part("" if option_value is None else option_value, option_label)


def _option_part(value: Any, label: Any) -> tuple[str, str, str]:
    written = escaped(str(value))
    text = escaped(label)
    return (
        str(value),
        f'\n  <option value="{written}">{text}</option>\n',
        f'\n  <option value="{written}" selected>{text}</option>\n',
    )


class SharedChoicesSelect(forms.Select):
    """A <select> of `SharedChoices`: the options are written once for all the boxes that share
    them (the skills rows of "my profile", a hundred options each), and each box only marks
    its chosen one. The markup is Django's; any other choices are drawn as Django draws them."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer=None) -> str:
        if (
            not isinstance(self.choices, SharedChoices)
            or self.allow_multiple_selected
            or (self.template_name, self.option_template_name) != (SELECT_TEMPLATE, OPTION_TEMPLATE)
        ):
            return super().render(name, value, attrs, renderer)
        context = forms.Widget.get_context(self, name, value, attrs)  # no option dicts
        context["widget"]["shared_choices"] = self.choices
        return _select_html(context["widget"])


# --- the people picker: one search box with suggestions for every person field -------------


class PersonPicker(forms.TextInput):
    """A search box with suggestions for choosing a person (docs/development-people-picker.md).

    Typing asks `search_url` (a URL name, reversed when drawn, with `params` added) for
    suggestions through htmx; the arrow keys, Enter and Escape choose among them (static/js/
    portal.js), and choosing fills the box with the person's key (their e-mail address). Without
    JavaScript it is a plain text box: the form field resolves what was typed (an e-mail
    address, a staff number, or a name that matches one person) and lists the candidates when
    several match. The field's label is the box's accessible name.
    """

    template_name = "portal/forms/person_picker.html"
    input_type = "search"

    def __init__(self, *, search_url: str, params: dict | None = None, attrs=None):
        super().__init__(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "class": "picker-input",
                **(attrs or {}),
            }
        )
        self.search_url = search_url
        self.params = dict(params or {})

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.params = dict(self.params)
        return copy

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        query = urlencode({**self.params, "field": name})
        context["widget"].update(
            search_url=f"{reverse(self.search_url)}?{query}",
            listbox_id=f"{widget_id}_suggestions",
            status_id=f"{widget_id}_status",
        )
        return context
