from django import forms

from announcements import selectors
from technicians.models import Department


class AnnouncementForm(forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Announcement",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Plain text. Web addresses become links; no other markup.",
    )
    faculties = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave faculties and departments empty to write to every technician.",
    )
    departments = forms.ModelMultipleChoiceField(
        queryset=Department.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Hold Ctrl (or ⌘) to choose more than one.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["faculties"].choices = [(name, name) for name in selectors.faculties()]
