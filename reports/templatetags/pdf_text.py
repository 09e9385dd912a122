"""`{{ value|pdf_text }}`: user text in the PDF, escaped and cut so that its line breaking stays cheap."""

from django import template

from reports import pdf_text as shaping

register = template.Library()


@register.filter(name="pdf_text")
def pdf_text(value):
    return shaping.pdf_text(value)
