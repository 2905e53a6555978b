"""Finding a word in a prompt, shared by the painter's word tables (places, props, looks).

English words match whole words ("red" is not in "tired", "bar" not in "barber"): an
occurrence counts when no lowercase letter touches it on either side, which is what the
pattern `(?<![a-z])WORD(?![a-z])` finds. Chinese words match as substrings. Done with
str.find rather than one compiled pattern per word: the tables hold some 600 words, and
compiling them (about 900 compilations for one house film's pictures, `re`'s 512-pattern
cache being too small for them and everything else) cost more than all the searching.
"""

from __future__ import annotations

_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")


def word_hit(word: str, text: str) -> bool:
    """Whether `text` (casefolded by the caller) names `word`."""
    if not word or not word.isascii():
        return word in text
    n, end = len(word), len(text)
    i = text.find(word)
    while i >= 0:
        if (i == 0 or text[i - 1] not in _LOWER) and (i + n == end or text[i + n] not in _LOWER):
            return True
        i = text.find(word, i + 1)
    return False
