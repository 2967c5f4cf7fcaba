"""Whether a visitor wrote wholly in another language.

The guide and every answer are English, and the NLU knows only English words: a message
such as "cuántas sesiones?" would be declined as not covered, or answered from a guess.
Such a message is asked again in English instead (actions/clarify.py). It counts only when
it has no English word of the commonest kind and at least one of another language's: a
misspelt English question ("frequncy of treatmnets?"), a name ("José García") or a mixed
message ("brauche ich eine beratung? do i need a consult") stays English.
"""

import re

# Words nearly every English question has: one of them makes a message English. A few are
# words of other languages too ("in", "per"), so such a message in them passes for English.
ENGLISH_WORDS = frozenset(
    """
    the an is are am was were it its it's i i'm im my you your you're u ur do does did don't can
    can't could will would should how what whats what's when which who why where of to in on at
    for from with after before and or but if this that these those be been there they we our get
    got need have has had much many long any some all pls please yes ok okay thanks thank hi
    hello hey just about really also than then so not too very more one first next last still
    only ever every way day days week weeks per
    """.split()
)
# Common words of Spanish, French, German, Portuguese and Italian, and of Hindi and Tagalog
# as typed in Latin letters, that English lacks.
OTHER_LANGUAGE_WORDS = frozenset(
    """
    qué que cómo como cuánto cuanto cuántas cuantas cuántos cuantos cada del las los el es para
    por con sin funciona sirve tengo quiero puedo hace hice debo hago hola gracias mis una uno
    después despues cuando cuándo esto eso está esta hay pero muy también tiempo necesito
    duele mucha sesión sesiones agujas cita tratamiento todavía
    le les des du est je mon ma mes pour avec sans ça c'est quoi combien une et ou pas ne sur
    dans ce cette peau merci bonjour fait mal
    ich das der und ist wie mein meine nicht mit nach für brauche kann eine ein haut wirklich
    danke bitte funktioniert
    não é meu minha quanto quantas quantos você obrigado obrigada dura
    che il lo della sono quante mia mio funziona grazie davvero
    kya hain hota hoti hote kitna kitne kitni kaise kab kaun karna karu karwaya nahi nahin
    aur baad pehle chahiye zaroori mujhe kuch dard
    mga siya ako paano gaano pwede masakit talaga kahapon ngayon dapat gawin katagal pagitan
    salamat kailan ilang kailangan magkano makikita kadalas
    """.split()
)
# Left out on purpose: short words of those languages that are also an English
# abbreviation or a brand's, place's or person's name ("la", "se", "de", "en", "ba", "po",
# "ang", "hai", "cara", "hindi", "naman", "yung", "lang": "La Roche-Posay", "SE London", "Dr Ang",
# "Cara here", "Naman Sharma", "Dr Lang"; "lang" is Scots for "long" too).
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)?")


def written_in_another_language(text: str) -> bool:
    words = [word.lower().replace("’", "'") for word in WORD.findall(text or "")]
    if len(words) < 2 or any(word in ENGLISH_WORDS for word in words):
        return False
    return any(word in OTHER_LANGUAGE_WORDS for word in words)
