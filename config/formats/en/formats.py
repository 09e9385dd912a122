# One English date format everywhere (pages, PDFs, e-mail), as for Norwegian (config/formats/nb).
DATE_FORMAT = SHORT_DATE_FORMAT = "j F Y"
DATETIME_FORMAT = SHORT_DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
