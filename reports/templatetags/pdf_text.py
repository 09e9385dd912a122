"""`{{ value|pdf_text }}`: user text in the PDF, escaped and cut so that its line breaking stays cheap.

`{{ value|pdf_text:"full" }}` (or "half", "full,label", "half,label"): the parties' free text in a `.text`
paragraph of that measure, broken into lines here (`reports.pdf_text.pdf_lines`); ",label" when a label
precedes it on its first line.
"""

from django import template

from reports import pdf_text as shaping

register = template.Library()


@register.filter(name="pdf_text")
def pdf_text(value, measure=None):
    if not measure:
        return shaping.pdf_text(value)
    measure, _, label = measure.partition(",")
    return shaping.pdf_lines(value, measure, after_label=label == "label")
