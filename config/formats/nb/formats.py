# One Norwegian date format everywhere (pages, PDFs, e-mail): Django's short and long formats are the
# same here, so every `|date:"..._FORMAT"` and `core.dates` agree. Input formats stay Django's.
DATE_FORMAT = SHORT_DATE_FORMAT = r"j. F Y"
DATETIME_FORMAT = SHORT_DATETIME_FORMAT = r"j. F Y \k\l. H:i"
TIME_FORMAT = "H:i"
