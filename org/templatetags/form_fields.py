"""A form field linked to its help and its errors, for screen readers: the
widget's ``aria-describedby`` names the ids ``_form.html`` renders, and a
field with errors says ``aria-invalid``."""
from django import template

register = template.Library()


@register.filter
def described(field):
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    attrs = {"aria-describedby": " ".join(ids)} if ids else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
