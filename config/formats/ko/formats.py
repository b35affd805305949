"""Korean times on the 24-hour clock ("2026년 12월 1일 15:04"), as Vigil writes them in every
language: Django's own Korean format puts "오후" after a 12-hour time. Every other Korean
format is Django's ("2026년 12월 1일")."""

DATETIME_FORMAT = "Y년 n월 j일 H:i"
SHORT_DATETIME_FORMAT = "Y. n. j. H:i"
