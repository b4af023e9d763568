"""Forms of the technician voice: a survey, a question, a copy, an action from a result, and
the answering form built from a survey's questions."""

from __future__ import annotations

from typing import Any

from django import forms

from actionplan.models import ActionPlan, Pillar
from technicians.models import Department
from voice.models import Question, Survey

LIKERT_LABELS = {
    1: "1 · Strongly disagree",
    2: "2 · Disagree",
    3: "3 · Neither agree nor disagree",
    4: "4 · Agree",
    5: "5 · Strongly agree",
}
SKILL_LEVEL_LABELS = [
    ("0", "I do not hold it"),
    ("1", "1 · Learning"),
    ("2", "2 · Practitioner"),
    ("3", "3 · Expert"),
    ("4", "4 · Can train others"),
]


class SurveyForm(forms.ModelForm):
    departments = forms.ModelMultipleChoiceField(
        queryset=Department.objects.order_by("faculty", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only when the audience is chosen departments.",
    )
    faculties = forms.MultipleChoiceField(
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only when the audience is chosen faculties.",
    )

    class Meta:
        model = Survey
        fields = ["title", "introduction", "opens_on", "closes_on", "anonymous", "audience"]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
            "introduction": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = Department.objects.order_by("faculty").values_list("faculty", flat=True).distinct()
        self.fields["faculties"].choices = [(name, name) for name in names if name]
        if self.instance.pk:
            self.fields["departments"].initial = list(self.instance.departments.all())
            self.fields["faculties"].initial = list(self.instance.faculties)


class QuestionForm(forms.ModelForm):
    choices = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For single and multiple choice: one option a line.",
    )

    class Meta:
        model = Question
        fields = ["order", "kind", "text", "help_text", "pillar", "required"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pillar"].help_text = "Tagged results feed this pillar of the plan and report."
        self.fields["order"].required = False
        if self.instance.pk:
            self.fields["choices"].initial = "\n".join(self.instance.choices)


class CopySurveyForm(forms.Form):
    title = forms.CharField(max_length=200)
    opens_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


class ResultActionForm(forms.Form):
    plan = forms.ModelChoiceField(queryset=ActionPlan.objects.none())
    pillar = forms.ChoiceField(choices=Pillar.choices)
    ref = forms.CharField(max_length=20, help_text="Its reference in the plan, e.g. V2.3.")
    title = forms.CharField(max_length=300, label="Action")
    due_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = ActionPlan.objects.exclude(
            status=ActionPlan.Status.ARCHIVED
        ).order_by("-starts_on")


def question_field_name(question: Question) -> str:
    return f"q{question.pk}"


class AnswerForm(forms.Form):
    """One field per question (a skills question: a level and a "want to learn" box per skill
    the person holds). Saving a named survey's draft requires nothing; the service checks the
    final answer again."""

    def __init__(
        self,
        *args: Any,
        questions: list[Question],
        skills: list[dict] | None = None,
        drafting: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.skills = skills or []
        for question in questions:
            name = question_field_name(question)
            label = question.text
            kind = question.kind
            if kind == Question.Kind.LIKERT:
                field = forms.TypedChoiceField(
                    choices=list(LIKERT_LABELS.items()), coerce=int, widget=forms.RadioSelect
                )
            elif kind == Question.Kind.SINGLE:
                field = forms.ChoiceField(
                    choices=[(c, c) for c in question.choices], widget=forms.RadioSelect
                )
            elif kind == Question.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=[(c, c) for c in question.choices],
                    widget=forms.CheckboxSelectMultiple,
                )
            elif kind == Question.Kind.TEXT:
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
            elif kind == Question.Kind.NUMBER:
                field = forms.DecimalField(max_digits=9, decimal_places=2)
            else:  # skills: one pair of fields per skill, read back by skills_value()
                for skill in self.skills:
                    self.fields[f"{name}_level_{skill['id']}"] = forms.ChoiceField(
                        label=skill["name"],
                        choices=SKILL_LEVEL_LABELS,
                        initial=str(skill["level"]),
                        required=False,
                    )
                    self.fields[f"{name}_learn_{skill['id']}"] = forms.BooleanField(
                        label=f"I want to learn more of {skill['name']}",
                        required=False,
                        initial=skill.get("wants_to_learn", False),
                    )
                continue
            # A draft may be half done; the final answer needs the required questions.
            field.required = question.required and not drafting
            field.label = label
            field.help_text = question.help_text
            self.fields[name] = field

    def skills_value(self, question: Question) -> list[dict]:
        name = question_field_name(question)
        return [
            {
                "skill": skill["id"],
                "level": self.cleaned_data.get(f"{name}_level_{skill['id']}") or 0,
                "wants_to_learn": self.cleaned_data.get(f"{name}_learn_{skill['id']}", False),
            }
            for skill in self.skills
        ]

    def answers(self) -> dict[int, Any]:
        """{question id: value} for the service."""
        values: dict[int, Any] = {}
        for question in self.questions:
            if question.kind == Question.Kind.SKILLS:
                values[question.pk] = self.skills_value(question)
            else:
                values[question.pk] = self.cleaned_data.get(question_field_name(question))
        return values

    def blocks(self) -> list[dict[str, Any]]:
        """Each question with its bound fields, in order, for the template."""
        blocks = []
        for question in self.questions:
            name = question_field_name(question)
            if question.kind == Question.Kind.SKILLS:
                fields = [
                    self[f"{name}_{part}_{skill['id']}"]
                    for skill in self.skills
                    for part in ("level", "learn")
                ]
            else:
                fields = [self[name]]
            blocks.append({"question": question, "fields": fields})
        return blocks


def action_initial(question: Question | None) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    if question is not None:
        initial["title"] = f"Respond to: {question.text}"[:300]
        if question.pillar:
            initial["pillar"] = question.pillar
    return initial
