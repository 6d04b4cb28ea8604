"""Reading a contact's topic as customers type it: keywords that start a word, without case or
diacritics, with "*" for the rest of a word, "..." for up to two words in between and "(a|b)" for
either of two whole words."""

from __future__ import annotations

import re
import unicodedata
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

# Up to two whole words between two keyword words: "nu ... raspunde" finds "nu mai raspunde".
_WORDS_BETWEEN = r"\s+(?:\S+\s+){0,2}"


def folded(text: str) -> str:
    """Lower case without diacritics, as people type in a hurry: "Preț", "PRET" and "preţ" read
    alike, "Čekam" as "cekam", "đ" as "dj"; Cyrillic folds the same way ("ї" as "і", "ё" as "е");
    compatibility forms read as their plain letters ("ｎｏ" as "no", "…" as "...")."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).replace("đ", "dj")


def keyword_problem(word: str) -> str | None:
    """Why `word` cannot be a keyword, or None: it must start with a letter or digit and end with a
    word; "*" continues a word, "..." stands alone between two words, "(a|b)" is one word of choices."""
    parts = folded(word).split()
    if not parts or parts[0] == "...":
        return "a keyword starts with a letter or digit"
    if parts[-1] == "..." or any(a == b == "..." for a, b in zip(parts, parts[1:], strict=False)):
        return '"..." stands between two words'
    for position, part in enumerate(parts):
        choices = [part] if part == "..." else _choices(part)
        if choices is None:
            return '"(" and ")" enclose one word of choices: "(friend|friends)"'
        if position == 0 and not all(re.match(r"\w", choice) for choice in choices):
            return "a keyword starts with a letter or digit"
        if part != "..." and any("..." in choice or not choice.strip("*") for choice in choices):
            return '"..." stands alone between two words, and "*" continues a word'
    return None


def _choices(part: str) -> list[str] | None:
    """The words one part of a keyword stands for: itself, or each of "(a|b)"; None if malformed."""
    if part.startswith("(") and part.endswith(")") and len(part) > 2:
        choices = part[1:-1].split("|")
        return None if any(not choice or "(" in choice or ")" in choice for choice in choices) else choices
    return None if "(" in part or ")" in part or "|" in part else [part]


def topic_pattern(words: tuple[str, ...]) -> re.Pattern:
    """A search for any of `words` starting a word of a `folded` text: "relocat" finds "Relocation",
    "moved" does not find "removed". Inside a keyword, "*" stands for the rest of a word, so an
    inflected phrase is one keyword ("інш* постачальн" finds "іншого постачальника"); "..." for up to
    two other words ("nu ... raspunde" finds "nu mai raspunde"); "(a|b)" for either whole word, or
    either start of one with "*" ("(my|our) brother ... (works|run*)" finds "our brother now runs",
    not "my brother at the workshop"); a space for any run of spaces. A punctuation mark is itself: "call
    back" does not find "Call: back in stock"."""

    def stem(text: str) -> str:
        return r"\w*".join(re.escape(piece) for piece in text.split("*"))

    def whole(text: str) -> str:
        return stem(text) if text.endswith("*") else stem(text) + r"(?!\w)"

    def one(word: str) -> str:
        pattern, gap = "", ""
        for part in folded(word).split():
            if part == "...":
                gap = _WORDS_BETWEEN
                continue
            choices = _choices(part)
            pattern += gap + (stem(part) if choices == [part] else f"(?:{'|'.join(map(whole, choices))})")
            gap = r"\s+"
        return pattern

    return re.compile(r"\b(?:" + "|".join(one(word) for word in words) + ")")


# A run of digits: ticket, order and PO numbers make most topics distinct ("Re: #4471 no reply").
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class _Searches:
    """One word list's searches."""

    without_digits: re.Pattern | None  # the keywords without a digit, searched on a text's shape
    with_digits: re.Pattern | None  # those with one ("2nd request"), searched on the folded text


@cache
def _searches(words: tuple[str, ...]) -> _Searches:
    plain = tuple(word for word in words if not _DIGITS.search(word))
    numbered = tuple(word for word in words if _DIGITS.search(word))
    return _Searches(topic_pattern(plain) if plain else None, topic_pattern(numbered) if numbered else None)


class _FoldedTexts:
    """Distinct texts, each folded once, with the word lists' answers for them.

    The keywords without a digit are searched once per *shape* of a text, its digit runs written as
    one "0": ticket, order and PO numbers make most topics distinct, and the 331,455 distinct topics
    of a 50,000-customer IT reseller are 43,157 shapes (reading them for the four topic families of
    the time took 9.0 s searching each text, 4.3 s so). A digit run stays a run of word characters in
    its shape, so such a keyword matches the shape exactly where it matches the text. Keywords with a
    digit ("2nd request") are searched on the folded text.
    """

    def __init__(self, texts: Iterable[str]) -> None:
        self.plain: list[str] = []
        shape_codes: dict[str, int] = {}
        codes = []
        for text in texts:
            plain = folded(text)
            self.plain.append(plain)
            codes.append(shape_codes.setdefault(_DIGITS.sub("0", plain), len(shape_codes)))
        self.shape_of = np.array(codes, dtype=np.int64)
        self.shapes = list(shape_codes)
        self.answers: dict[tuple[str, ...], np.ndarray] = {}

    def matching(self, words: tuple[str, ...]) -> np.ndarray:
        """For each text, does one of `words` start a word of it?"""
        hit = self.answers.get(words)
        if hit is None:
            searches = _searches(words)
            hit = np.zeros(len(self.plain), dtype=bool)
            if searches.without_digits is not None:
                search = searches.without_digits.search
                by_shape = np.array([search(shape) is not None for shape in self.shapes], dtype=bool)
                hit = by_shape[self.shape_of]
            if searches.with_digits is not None:
                rest = np.flatnonzero(~hit)
                hit[rest] = [searches.with_digits.search(self.plain[i]) is not None for i in rest]
            self.answers[words] = hit
        return hit


# Per categories object (a pandas Index, by identity), its folded texts: kept while it lives.
_FOLDED_CATEGORIES: dict[int, _FoldedTexts] = {}


def categories_matching(categories: pd.Index, words: tuple[str, ...]) -> np.ndarray:
    """For each category of a dictionary-encoded text column, does one of `words` start a word of it?

    The categories are folded once for as long as they live, and each word list is answered once:
    a build's six topic families, and every cutoff's slice of a training set's column (which shares
    its categories), are answered from memory.
    """
    key = id(categories)
    texts = _FOLDED_CATEGORIES.get(key)
    if texts is None:
        texts = _FOLDED_CATEGORIES[key] = _FoldedTexts(str(text) for text in categories)
        weakref.finalize(categories, _FOLDED_CATEGORIES.pop, key, None)
    return texts.matching(words)
