"""Search keys for people's names, in every script and spelling.

To an advocate, 리정철, 이정철, Ri Jong Chol, Lee Jung-chul, Yi Jeong-cheol and
Ри Чон Чхоль are one person. A name is turned into a set of keys, stored in an
indexed array column; a search turns the query into keys the same way and
looks for names that share one. Keys:

``x:`` the name transliterated to Latin (anyascii), lower case, letters only:
    an exact spelling match, the strongest.
``k:`` a consonant skeleton of the whole name: romanization variants folded
    (j/ch/chh → c, g/k/kh → k, b/p → p, d/t → t, r/l → l, ng → n), vowels
    dropped (jong, jeong, jung and chŏng differ only there), and a second key
    without a leading l of the surname (Ri/Li/Lee vs Yi/I: South Korea drops
    the initial liquid that North Korea writes).
``m:`` the Metaphone of the Latin form (jellyfish): English-sounding variants
    of Western names (Stephen, Steven).
``t:`` the skeleton of each word, so a query of some of the words ("Chol",
    "Ri Jong") finds every name holding all of them.

Korean names in Cyrillic follow the Kontsevich transcription, where Х writes
ㅎ (h, not the kh of Russian), Кх/Чх/Пх/Тх mark the aspirates ㅋ/ㅊ/ㅍ/ㅌ,
В in a diphthong is w (Хван, 황, Hwan) and Дж or Чж is j: a name with Cyrillic
letters gets the keys of that Korean reading too (``korean_reading``), whole
and word by word, so 김혁, Kim Hyok and Ким Хёк, or 리철, Ri Chol and Ри Чхоль
are one name. A query in Cyrillic matches a name holding all the words of
either reading (``NameQuery.all_of_either``).

Ranking is by the number of keys a name shares with the query, so an exact
spelling outranks a romanization variant, which outranks a single word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import jellyfish
from anyascii import anyascii

# Order matters: longer clusters first (Cyrillic "Чх" arrives as "chkh").
_FOLDS = [
    ("chkh", "c"),
    ("tch", "c"),
    ("chh", "c"),
    ("ch", "c"),
    ("j", "c"),
    ("kh", "k"),
    ("ph", "p"),
    ("th", "t"),
    ("sh", "s"),
    ("ng", "n"),
    ("g", "k"),
    ("b", "p"),
    ("d", "t"),
    ("r", "l"),
]
_VOWELS_AND_GLIDES = re.compile(r"[aeiouyhw]")
# anyascii writes each Hangul syllable capitalised ("LiJeongCheol"): split there too.
_WORD_BREAK = re.compile(r"[^A-Za-z]+|(?<=[a-z])(?=[A-Z])")


def latin_words(name: str) -> list[str]:
    """The name in Latin letters, one lower-case word per word or syllable."""
    return [word.lower() for word in _WORD_BREAK.split(anyascii(name or "")) if word]


def skeleton(word: str) -> str:
    for cluster, replacement in _FOLDS:
        word = word.replace(cluster, replacement)
    return _VOWELS_AND_GLIDES.sub("", word)


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# The Kontsevich transcription of Korean, undone on the Latin form of a Cyrillic name:
# Дж (and the Palladius-style Чж of Чжон) is j, Чх is ch (ㅊ), Х is h (ㅎ: so Кх, Пх, Тх
# become k, p, t with h, which folds), В is the w of a diphthong (Хван: hwan). Longer first.
_KONTSEVICH = [("chzh", "j"), ("dzh", "j"), ("chkh", "ch"), ("kh", "h"), ("v", "w")]


def korean_reading(words: list[str]) -> list[str]:
    """The Latin words of a Cyrillic Korean name read as Kontsevich wrote them (Хёк: hyok)."""
    read = []
    for word in words:
        for cluster, replacement in _KONTSEVICH:
            word = word.replace(cluster, replacement)
        read.append(word)
    return read


def readings(name: str) -> list[list[str]]:
    """The name's Latin words, and for a name with "kh" (or any Cyrillic) also their
    Korean reading (see the module's docstring): one list of words per reading."""
    words = latin_words(name)
    if not words:
        return []
    if _CYRILLIC.search(name):
        korean = korean_reading(words)
    elif any("kh" in word for word in words):  # a Latin copy of a Cyrillic spelling ("Khyok")
        korean = [word.replace("chkh", "ch").replace("kh", "h") for word in words]
    else:
        return [words]
    return [words, korean] if korean != words else [words]


def _skeleton_keys(words: list[str]) -> set[str]:
    skeletons = [skeleton(word) for word in words]
    whole = "".join(skeletons)
    keys = {f"k:{whole}"} if whole else set()
    if skeletons and skeletons[0].startswith("l"):
        without_initial_liquid = skeletons[0][1:] + "".join(skeletons[1:])
        if without_initial_liquid:
            keys.add(f"k:{without_initial_liquid}")
    return keys


def name_keys(*names: str) -> list[str]:
    """Every key of every name given, sorted (stored in an indexed array column)."""
    keys: set[str] = set()
    for name in names:
        for number, words in enumerate(readings(name)):
            latin = "".join(words)
            if number == 0:  # the exact spelling and its sound: of the name as written
                keys.add(f"x:{latin}")
                metaphone = jellyfish.metaphone(latin)
                if metaphone:
                    keys.add(f"m:{metaphone}")
            keys |= _skeleton_keys(words)
            keys |= _word_keys(words)
    return sorted(keys)


def _word_keys(words: list[str]) -> set[str]:
    return {f"t:{s}" for s in (skeleton(word) for word in words) if s}


@dataclass(frozen=True)
class NameQuery:
    """What a search matches on: a name sharing any whole-name key (``any_of``:
    x:, k:, m:) or holding every word of the query (``all_of``: t:), so that
    "Ri Jong" finds "Ri Jong Chol" while "Kim Jong Un" does not find him
    through their shared "Jong"."""

    any_of: list[str]
    all_of: list[str]
    #: Each reading's word keys (a Cyrillic query has two): a name holding all of one matches.
    all_of_either: tuple[tuple[str, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.any_of or self.all_of)

    @property
    def keys(self) -> list[str]:
        return sorted({*self.any_of, *self.all_of})

    @property
    def exact(self) -> list[str]:
        """The exact-spelling key (x:): a name holding it is the query as written."""
        return [key for key in self.any_of if key.startswith("x:")]


def query_keys(query: str) -> NameQuery:
    keys = name_keys(query)
    either = tuple(tuple(sorted(_word_keys(words))) for words in readings(query))
    return NameQuery(
        any_of=[key for key in keys if not key.startswith("t:")],
        all_of=[key for key in keys if key.startswith("t:")],
        all_of_either=tuple(dict.fromkeys(group for group in either if group)),
    )
