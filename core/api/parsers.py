"""The API's JSON parser: DRF's, refusing JSON nested deeper than any Vigil body needs.

Python's JSON decoder recurses once per level: 100,000 ``[`` raised a
RecursionError, a 500. Vigil's bodies are objects of values and short lists;
the depth is counted before decoding (strings skipped), and a body nested
deeper than ``MAX_DEPTH`` is a 400 that says so.
"""

from __future__ import annotations

import codecs
import re

from django.utils.translation import gettext
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding
from rest_framework.utils import json

MAX_DEPTH = 32
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")


def json_depth(text: str) -> int:
    """How deeply ``text``'s arrays and objects nest (brackets inside strings do not count)."""
    brackets = _NOT_A_BRACKET.sub("", _STRING.sub("", text))
    depth = deepest = 0
    for bracket in brackets:
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


class VigilJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = get_encoding(parser_context or {})
        try:
            text = codecs.getreader(encoding)(stream).read()
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        if json_depth(text) > MAX_DEPTH:
            raise ParseError(
                gettext("JSON nested too deeply: at most %(depth)s levels of arrays and objects.")
                % {"depth": MAX_DEPTH}
            )
        parse_constant = json.strict_constant if self.strict else None
        try:
            return json.loads(text, parse_constant=parse_constant)
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        except RecursionError:  # the depth count above should make this unreachable
            raise ParseError(gettext("JSON nested too deeply.")) from None
