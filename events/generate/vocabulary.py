"""What the generated caseload is made of: names in three scripts, and how statuses, kinds and date
precisions are spread; the benchmark's editor and teams."""

from __future__ import annotations

import datetime

SURNAMES = [  # Hangul, North Korean romanization, South Korean romanization, Cyrillic
    ("김", "Kim", "Kim", "Ким"), ("리", "Ri", "Lee", "Ри"), ("박", "Pak", "Park", "Пак"),
    ("최", "Choe", "Choi", "Цой"), ("정", "Jong", "Jeong", "Чон"), ("강", "Kang", "Kang", "Кан"),
    ("조", "Jo", "Cho", "Чо"), ("윤", "Yun", "Yoon", "Юн"), ("장", "Jang", "Jang", "Чан"),
    ("림", "Rim", "Lim", "Рим"), ("한", "Han", "Han", "Хан"), ("오", "O", "Oh", "О"),
]  # fmt: skip
SYLLABLES = [
    ("철", "Chol", "Cheol", "Чхоль"), ("수", "Su", "Su", "Су"), ("영", "Yong", "Yeong", "Ён"),
    ("호", "Ho", "Ho", "Хо"), ("민", "Min", "Min", "Мин"), ("광", "Kwang", "Gwang", "Кван"),
    ("혁", "Hyok", "Hyeok", "Хёк"), ("성", "Song", "Seong", "Сон"), ("남", "Nam", "Nam", "Нам"),
    ("일", "Il", "Il", "Иль"), ("명", "Myong", "Myeong", "Мён"), ("준", "Jun", "Jun", "Чун"),
    ("현", "Hyon", "Hyeon", "Хён"), ("진", "Jin", "Jin", "Чин"), ("국", "Kuk", "Guk", "Кук"),
    ("동", "Tong", "Dong", "Тон"), ("학", "Hak", "Hak", "Хак"), ("은", "Un", "Eun", "Ын"),
]  # fmt: skip
GIVEN = ["Amir", "Leila", "Omar", "Sara", "Yusuf", "Mariam", "Ivan", "Olena", "Dmytro", "Nadia", "Ahmed", "Fatima",
         "Hassan", "Aisha", "Pavel", "Iryna", "Tenzin", "Dolkar", "Ali", "Zainab"]  # fmt: skip
FAMILY = ["Haddad", "Karimi", "Nasser", "Petrenko", "Shevchenko", "Kovalenko", "Rahimi", "Saleh", "Dorje", "Tsering",
          "Mansour", "Hussein", "Bondarenko", "Melnyk", "Azizi", "Farouk"]  # fmt: skip
CYRILLIC = str.maketrans(
    dict(zip("abdefgiklmnoprstuvzABDEFGIKLMNOPRSTUVZ", "абдефгиклмнопрстувзАБДЕФГИКЛМНОПРСТУВЗ", strict=True))
)

CASE_STATUSES = (["open"] * 30) + (["active"] * 25) + (["stalled"] * 15) + (["resolved"] * 15) + (["closed"] * 15)
PRIORITIES = ["normal"] * 60 + ["high"] * 25 + ["urgent"] * 5 + ["low"] * 10
REQUEST_STATUSES = ["stated", "under_verification", "verified", "in_progress", "granted", "partly_met", "denied",
                    "withdrawn", "stalled"]  # fmt: skip
CATEGORIES = ["transfer", "asylum", "non_return", "medical_care", "medicine", "clothing", "food", "reading", "tobacco",
              "family_contact", "legal_counsel", "consular_access", "other"]  # fmt: skip
EVENT_KINDS = ["capture", "detention", "transfer", "icrc", "interview", "detainee_statement", "request_made",
               "government_statement", "diplomatic_contact", "medical", "welfare_incident", "media_report",
               "legal_step", "exchange", "release", "other"]  # fmt: skip
ROLES = ["detaining_state", "state_of_nationality", "receiving_state", "belligerent_ally", "mediator"]
STANCES = ["supports", "conditional", "opposes", "no_response", "denies", "asks_for_information", "unknown"]
PRECISIONS = ["day"] * 50 + ["month"] * 30 + ["quarter"] * 10 + ["year"] * 10
WORDS = ["detention", "transfer", "hearing", "visit", "interview", "statement", "prisoner", "family", "medical",
         "embassy", "release", "exchange", "asylum", "letter", "border", "court", "camp", "hunger", "strike", "lawyer"]  # fmt: skip

TEAMS, TEAM_SIZE = 60, 5
BENCH_EDITOR, EDITOR_TEAMS = "bench-editor", 20  # who the benchmark signs in as
HUGE_CASES = 10  # the first cases get 500+ events: the timeline benchmark's case
START = datetime.date(1996, 1, 1)
SPAN_DAYS = 30 * 365
