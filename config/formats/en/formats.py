"""Vigil's English dates ("17 February 2025", "17 Feb 2025 14:05"): day first, never
the US order. Other languages use Django's own formats for them ("2025년 2월 17일",
"17 лютого 2025 р."). Templates name these formats, never a pattern of their own."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1
