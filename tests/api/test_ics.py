"""The hand-written iCalendar pieces: escaping, folding, UTC stamps."""

import datetime

from conversations.notify.ics import escape_text, fold, utc_stamp


def test_escape_text():
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"
    assert escape_text("bell\x07") == "bell"


def test_fold_keeps_lines_short_and_characters_whole():
    line = "DESCRIPTION:" + escape_text("Æøå, samtale; " * 20)
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join([parts[0], *(part[1:] for part in parts[1:])]) == line


def test_utc_stamp_pads_small_years_and_converts_zones():
    oslo = datetime.timezone(datetime.timedelta(hours=1))
    assert utc_stamp(datetime.datetime(2030, 1, 2, 9, 5, tzinfo=oslo)) == "20300102T080500Z"
    assert utc_stamp(datetime.datetime(33, 1, 1, 12, tzinfo=datetime.UTC)) == "00330101T120000Z"
