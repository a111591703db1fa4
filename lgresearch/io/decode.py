"""Text decoding: UTF-8, UTF-16, GB18030 (GBK, GB2312) and Big5 told apart by how much common Chinese they yield.

Examples
--------
>>> decode_text("企业".encode("gbk"))
('企业', 'gb18030')
"""

from __future__ import annotations

from collections.abc import Sequence

from lgresearch.errors import InputError

__all__ = ["TEXT_ENCODINGS", "MIN_CJK_SHARE", "cjk_share", "decode_text"]

#: Encodings tried for text files (GB18030 is a superset of GBK and GB2312). UTF-8 (with or without BOM) and
#: UTF-16 (with a BOM or zero bytes) are recognised first; GB18030 and Big5 are then scored on how much of the
#: decoded text is common Chinese, so Big5 is never read as GBK garbage.
TEXT_ENCODINGS = ("utf-8-sig", "utf-8", "utf-16", "gb18030", "big5")
#: Share of the non-ASCII characters that must be common Chinese characters for a legacy (GBK/Big5) decoding to
#: be accepted.
MIN_CJK_SHARE = 0.8

_CJK_PUNCT = set("、，。：；！？（）“”‘’《》〈〉【】—…·「」『』　％＋－／＝［］｛｝～℃①②③④⑤⑥⑦⑧⑨⑩")


def _common_cjk(ch: str, encoding: str) -> bool:
    if not ("\u4e00" <= ch <= "\u9fff"):
        return False
    if encoding == "big5":
        try:
            return 0xA4 <= ch.encode("big5")[0] <= 0xC6  # Big5 level 1: the frequent characters
        except UnicodeEncodeError:
            return False
    try:
        ch.encode("gb2312")  # GB2312: the common simplified (and shared) characters
    except UnicodeEncodeError:
        return False
    return True


def cjk_share(text: str, encoding: str = "gb18030") -> float:
    """Share of the non-ASCII characters of ``text`` that are common Chinese characters for ``encoding``.

    Text decoded with the wrong legacy encoding (Big5 bytes read as GBK, or the reverse) is full of rare
    characters and symbols and scores low; Chinese punctuation is ignored. Text without non-ASCII characters
    scores 1.

    Parameters
    ----------
    text : str
        Decoded text.
    encoding : str
        The encoding the text was decoded with.

    Returns
    -------
    float
        Share of the non-ASCII characters that are common Chinese characters for ``encoding``.

    Examples
    --------
    >>> raw = "台灣積體電路製造股份有限公司".encode("big5")
    >>> round(cjk_share(raw.decode("big5"), "big5"), 2), cjk_share(raw.decode("gb18030", "replace")) < 0.8
    (1.0, True)
    """
    sample = text[:50000]
    counts: dict[str, int] = {}
    for ch in sample:
        if ord(ch) > 127 and ch not in _CJK_PUNCT:
            counts[ch] = counts.get(ch, 0) + 1
    total = sum(counts.values())
    if not total:
        return 1.0
    good = sum(n for ch, n in counts.items() if _common_cjk(ch, encoding))
    return good / total


def _utf16_guess(raw: bytes) -> str | None:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = raw[:4000]
    if len(head) >= 4:
        even, odd = head[0::2], head[1::2]
        if odd.count(0) > 0.1 * len(odd) and even.count(0) < 0.02 * len(even):
            return "utf-16-le"
        if even.count(0) > 0.1 * len(even) and odd.count(0) < 0.02 * len(odd):
            return "utf-16-be"
    return None


def decode_text(raw: bytes, name: str = "file", encodings: Sequence[str] = TEXT_ENCODINGS) -> tuple[str, str]:
    """Decode bytes with the encoding that yields valid Chinese text.

    UTF-8 (``utf-8-sig`` when it starts with a byte-order mark) and UTF-16 (a byte-order mark, or zero bytes in
    every other position) are recognised by their form. Otherwise each legacy encoding among ``encodings``
    (GB18030, which covers GBK and GB2312, and Big5) that decodes the bytes without error is scored with
    :func:`cjk_share`, and the best one is used when at least :data:`MIN_CJK_SHARE` of the text is common
    Chinese.

    Parameters
    ----------
    raw : bytes
        The file contents.
    name : str
        File name used in error messages.
    encodings : sequence of str
        Encodings to try, in order.

    Returns
    -------
    (str, str)
        The text and the encoding that decoded it.

    Raises
    ------
    InputError
        No encoding decodes the file into plausible text (the message names the file and says to save it as
        UTF-8).

    Examples
    --------
    >>> decode_text("企业".encode("gbk"))
    ('企业', 'gb18030')
    >>> decode_text("\\ufeff企业".encode("utf-8"))[1]
    'utf-8-sig'
    >>> decode_text("台灣積體電路製造股份有限公司".encode("big5"))
    ('台灣積體電路製造股份有限公司', 'big5')
    >>> decode_text("序号,企业名称".encode("utf-16"))[1]
    'utf-16'
    """
    encodings = list(encodings)
    if "utf-16" in encodings:
        guess = _utf16_guess(raw)
        if guess is not None:
            try:
                text = raw.decode(guess)
                return text.lstrip("\ufeff"), "utf-16"
            except UnicodeDecodeError:
                pass
    for enc in ("utf-8-sig", "utf-8"):
        if enc in encodings:
            try:
                text = raw.decode(enc)
            except UnicodeDecodeError:
                continue
            return text, ("utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8")
    scored: list[tuple[float, int, str, str]] = []
    for k, enc in enumerate(e for e in encodings if e not in ("utf-8-sig", "utf-8", "utf-16")):
        try:
            text = raw.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if "\x00" in text[:4000]:
            continue
        scored.append((cjk_share(text, "big5" if "big5" in enc.lower() else "gb18030"), -k, enc, text))
    if scored:
        share, _, enc, text = max(scored)
        if share >= MIN_CJK_SHARE:
            return text, "gb18030" if enc.lower() in ("gbk", "gb2312", "gb18030") else enc
        raise InputError(name, None, None,
                         f"cannot tell the text encoding: the best reading ({enc}) gives only {share:.0%} common "
                         f"Chinese characters; save the file as UTF-8 (in Excel: Save As, 'CSV UTF-8')")
    raise InputError(name, None, None,
                     f"cannot decode the text with any of {encodings}; save the file as UTF-8 (in Excel: Save As, "
                     f"'CSV UTF-8')")

