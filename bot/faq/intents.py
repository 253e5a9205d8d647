"""Requests rather than questions: "daftarin saya", "ingetin aku bayar tiap bulan".

The words come from the lexicon's [intents] tables. A request leads straight into the
feature (a button); a question about it ("cara daftar gimana") is answered by the knowledge
base, whose answer carries the same button.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.faq.normalize import Lexicon


def detect_intent(words: Sequence[str], lexicon: Lexicon, stem: Callable[[str], str]) -> str | None:
    """The intent name ("daftar", "pengingat") of a request, or None.

    Fires on a verb with a wish ("mau daftar") or an imperative ("daftarkan"), when the
    message asks nothing (no question word) and says nothing else (every other word is a
    listed object or a stop word): "mau daftar CPNS" is not a request to us.
    """
    if not words or any(w in lexicon.question_words for w in words):
        return None
    for name, intent in lexicon.intents.items():
        forms = [(w, stem(w)) for w in words]
        has_verb = any(w in intent.verbs or s in intent.verbs for w, s in forms)
        has_want = any(w in intent.wants for w, _s in forms)
        imperative = any(w in intent.imperatives for w, _s in forms)
        if not (imperative or (has_verb and has_want)):
            continue
        allowed = intent.verbs | intent.wants | intent.imperatives | intent.objects
        if all(
            w in allowed or s in allowed or w in lexicon.stopwords or w.isdigit() for w, s in forms
        ):
            return name
    return None
