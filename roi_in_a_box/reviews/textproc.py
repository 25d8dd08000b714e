"""Language-aware tokens for ranking reviews: English, Bengali and Thai (mixed text too).

Text is cut into script runs first (``text.scripts.split_by_script``), so a Bengali
review that says "ROI" or "CFO" keeps those as English tokens.  Per script:

* Latin: case-folded words, stop words dropped, a light suffix stemmer (closes, closed,
  closing → clos; payments → payment; entities → entity) — enough for BM25 recall
  without a stemming dependency.
* Bengali: NFC (so ো written as ে+া, and য়/ড়/ঢ় precomposed or with nukta, compare
  equal), the old khanda-ta spelling ত্+ZWJ → ৎ, then zero-width (non-)joiners and
  spaces removed (they change rendering, not the word), Bengali digits dropped, stop
  words dropped and one inflectional suffixes stripped (দোকানে → দোকান; at most two).
* Thai: no spaces between words, so PyThaiNLP's dictionary segmenter
  (``word_tokenize(engine="newmm")``), then PyThaiNLP's Thai stop words dropped.

Numbers are dropped everywhere: "18%" or "৪০%" says nothing about which claim a
review supports, and they differ by script.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from ..text.languages import TO_ASCII
from ..text.scripts import BENGALI, THAI, split_by_script

EN_STOP = frozenset(["a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "even", "ever", "every", "few", "for", "from", "further", "get", "got", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "us", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "much", "many", "still", "really", "well", "one", "two", "lot", "lots", "thing", "things", "way", "ve", "re", "ll", "don", "didn", "doesn", "isn", "instead", "within", "give", "gives", "given", "based", "single", "worth", "per", "via", "across", "able", "like", "make", "makes", "made", "take", "takes", "use", "used", "using", "new", "go", "going", "let", "lets", "also"]) | frozenset(
    # claim boilerplate: every claim says who reported it, no review support hinges on it
    ["verified", "reviewer", "reviewers", "customers", "customer", "users", "say", "says", "cite", "cites", "report", "reports", "reported"])

BN_STOP_WORDS = """
এবং ও আর এই সেই যে যা তা না নেই হয় হয়ে হয়েছে হয়েছিল করে করা করি করেন থেকে জন্য আমাদের আমরা আমার আমি এখন আগে সাথে
কিন্তু তবে একটি একজন কোন কোনো সব পর এক খুব আরও যায় যাচ্ছে হতো ছিল তাদের তাই দিয়ে মতো বা প্রতি এটা এটি তার তারা
এর কি কী যদি তখন এখানে সেখানে নিয়ে হলে হবে গেছে গিয়ে দেয় দেখি পারি পারছে পারছি লাগে লাগত অনেক শুধু আবার
যাচাইকৃত পর্যালোচক পর্যালোচকরা পর্যালোচনা গ্রাহকেরা গ্রাহকরা জানিয়েছেন বলেছেন
"""
# Inflectional suffixes, longest first; one is stripped when at least 3 code points remain.
BN_SUFFIXES = ("গুলোতে", "গুলোর", "গুলো", "গুলি", "দেরকে", "দের", "টির", "টার", "টিতে", "টি", "টা", "খানা",
               "য়ের", "য়ে", "েরা", "ের", "তে", "কে", "রা", "র", "য়", "ে")
TH_EXTRA_STOP = frozenset({"ผู้รีวิว", "ผ่าน", "การ", "ความ", "ที่", "ได้", "ให้", "และ", "ของ", "ใน", "มี", "เป็น"})

_ZW = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_LATIN_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_BN_WORD = re.compile(r"[\u0980-\u09E5\u09F0-\u09FF]+")
_THAI_LETTER = re.compile(r"[\u0E01-\u0E4E]")


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


BN_STOP = frozenset(_nfc(w) for w in BN_STOP_WORDS.split())
_BN_SUFFIXES_N = tuple(sorted({_nfc(s) for s in BN_SUFFIXES}, key=len, reverse=True))


def normalise(text: str) -> str:
    """NFC, Bengali spelling variants unified, zero-width characters removed, native digits to ASCII."""
    text = _nfc(text).replace("\u09a4\u09cd\u200d", "\u09ce")  # ত্‍ (old khanda ta) → ৎ
    return text.translate(_ZW).translate(TO_ASCII)


def stem_en(w: str) -> str:
    if len(w) <= 3:
        return w
    w = w.removesuffix("'s")
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    for suf in ("ing", "ed"):
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            w = w[: -len(suf)]
            break
    else:
        if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
            w = w[:-1]
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    return w


def stem_bn(w: str) -> str:
    for _ in range(2):  # এসআররা → এসআর → এসআ, like এসআর → এসআ: consistent, which is what matching needs
        for suf in _BN_SUFFIXES_N:
            if w.endswith(suf) and len(w) - len(suf) >= 3:
                w = w[: -len(suf)]
                break
        else:
            break
    return w


@functools.lru_cache(maxsize=1)
def _thai_stop() -> frozenset[str]:
    from pythainlp.corpus import thai_stopwords

    return frozenset(thai_stopwords()) | TH_EXTRA_STOP


@functools.lru_cache(maxsize=4096)
def _thai_words(run: str) -> tuple[str, ...]:
    from pythainlp.tokenize import word_tokenize

    stop = _thai_stop()
    return tuple(w for w in word_tokenize(run, engine="newmm", keep_whitespace=False)
                 if _THAI_LETTER.search(w) and w not in stop and len(w) > 1)


def tokens(text: str) -> list[str]:
    """Index terms of ``text`` in order (repeats kept: BM25 counts them)."""
    out: list[str] = []
    for script, run in split_by_script(normalise(text)):
        if script == THAI:
            out += _thai_words(run)
        elif script == BENGALI:
            out += [stem_bn(w) for w in _BN_WORD.findall(run) if w not in BN_STOP and len(w) > 1]
        else:
            out += [stem_en(w) for w in _LATIN_WORD.findall(run.casefold()) if w not in EN_STOP and len(w) > 1]
    return out


def fold(text: str) -> str:
    """Normalised, case-folded text for phrase look-ups (ROI-type lexicon)."""
    return normalise(text).casefold()
