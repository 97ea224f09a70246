"""French elision and articles around the names a sentence carries.

A catalogue sentence is written once for every name: "de %(company)s" reads
"de Atlas Games", and a room reads "de Agora" where French says "d'Atlas
Games" and "de l'Agora". ``with_article`` gives a space's name its article
("l'Agora", "la Salle de formation", "le Coworking"), ``elide`` then fixes a
rendered French sentence: "de"/"le"/"la"/"que" before a vowel lose their vowel
("d'Essaouira"), and "de le"/"à le" after an article given by ``with_article``
contract ("du Coworking", "au Coworking"). In any other language both leave
the text as it is. Templates use them as ``{% elide %}…{% endelide %}`` and
``|with_article`` (``technopark`` template tags).
"""

import re

from django.utils.translation import get_language

#: Put after an article ``with_article`` adds, so ``elide`` contracts only those.
_MARK = "\u2060"
_VOWEL = "AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜaeiouyàâäéèêëîïôöùûü"
#: The first word of a space's name, and its gender; a name starting otherwise
#: (a proper name, "Atlas") takes no article.
FEMININE = {"agora", "salle", "cafétéria", "terrasse", "cuisine", "bibliothèque", "galerie"}
MASCULINE = {
    "espace",
    "coworking",
    "bureau",
    "guichet",
    "studio",
    "auditorium",
    "amphithéâtre",
    "amphi",
    "laboratoire",
    "lab",
    "plateau",
    "hall",
    "atelier",
    "open",
}

_ELISION = re.compile(rf"\b([dDlL]e|[lL]a|[qQ]ue) (?=[{_VOWEL}])")
_CONTRACTION = re.compile(rf"\b([dD]e|[àÀ]) ([lL]es?){_MARK} ")
_CONTRACTED = {("de", "le"): "du", ("de", "les"): "des", ("à", "le"): "au", ("à", "les"): "aux"}


def is_french() -> bool:
    return (get_language() or "").split("-")[0] == "fr"


def with_article(name: str) -> str:
    """A space's name with its French article ("l'Agora"); the name alone in other languages."""
    name = str(name)
    if not is_french() or not name:
        return name
    first = name.split()[0].lower()
    if first in FEMININE:
        article = "la"
    elif first in MASCULINE:
        article = "le"
    else:
        return name
    if name[0] in _VOWEL:
        return f"l’{name}"
    return f"{article}{_MARK} {name}"


def _contract(match: re.Match) -> str:
    preposition, article = match.group(1), match.group(2)
    word = _CONTRACTED[(preposition.lower(), article.lower())]
    return (word.capitalize() if preposition[0].isupper() else word) + " "


def _elide(match: re.Match) -> str:
    word = match.group(1)
    return f"{word[:-1]}’"


def elide(text: str) -> str:
    """``text`` with French elisions and contractions applied (French only)."""
    text = str(text)
    if not is_french():
        return text.replace(_MARK, "")
    text = _CONTRACTION.sub(_contract, text)
    return _ELISION.sub(_elide, text).replace(_MARK, "")
