"""The base of every form: no field may hold a character the database cannot store."""

from collections.abc import Iterator, Sequence
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, Field, FieldList, Form, FormField, TextAreaField
from wtforms.fields.core import UnboundField

from crm.text_checks import text_problem

# Date fields are text boxes (templates/_forms.html): read a day however people write it.
DAY_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]


class CheckedForm(FlaskForm):
    """A FlaskForm that refuses NUL, other control characters and (in one-line fields) line
    breaks with an error on the field, as typed or as a crafted POST sends them."""

    class Meta:
        def bind_field(self, form: Form, unbound: UnboundField, options: dict[str, Any]) -> Field:
            if issubclass(unbound.field_class, DateField) and "format" not in unbound.kwargs:
                options = {**options, "format": DAY_FORMATS}
            return unbound.bind(form=form, **options)

    def validate(self, extra_validators: dict[str, Sequence[Any]] | None = None) -> bool:
        is_valid = super().validate(extra_validators)
        for field in _leaf_fields(self):
            problem = _raw_text_problem(field)
            if problem is not None:
                field.errors = [*field.errors, problem]
                is_valid = False
        return is_valid


def _leaf_fields(form: Form) -> Iterator[Field]:
    for field in form:
        if isinstance(field, FormField):
            yield from _leaf_fields(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                yield from _leaf_fields(entry.form) if isinstance(entry, FormField) else [entry]
        else:
            yield field


def _raw_text_problem(field: Field) -> str | None:
    # The raw input, not .data: a select or number field refuses a NUL with a vaguer message.
    one_line = not isinstance(field, TextAreaField)
    for raw in getattr(field, "raw_data", None) or ():
        if isinstance(raw, str) and (problem := text_problem(raw, one_line=one_line)):
            return problem
    return None
