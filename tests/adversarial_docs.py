"""Documents built to find superlinear work: each is cheap for a linear rule
and minutes (or never) for one that rescans, backtracks or compares pairs.

Used by ``tests/test_bounded.py`` (at a size where a quadratic path would
take minutes) and by hand at 5 MB (see docs/grammar.md).  Deterministic:
the same size gives the same text.
"""

from __future__ import annotations

import random


def adversarial_documents(size: int) -> dict[str, str]:
    """``name -> text`` of about ``size`` characters each."""
    rnd = random.Random(size)
    n = size
    letters = "abcdefghijklmnopqrstuvwxyz"

    def word(i: int) -> str:  # distinct lower-case non-words: aaab, aaac, ...
        out = []
        for _ in range(5):
            out.append(letters[i % 26])
            i //= 26
        return "q" + "".join(out)

    return {
        # one huge word: GR002's compound search tried every split point
        "one_word": "a" * n,
        "one_word_random": "".join(rnd.choice(letters) for _ in range(n)),
        "one_word_capital": "B" + "a" * (n - 1),
        # punctuation: a run of dots backtracked exponentially in the sentence splitter
        "dots": "a" + "." * (n - 2) + " B",
        "dot_chain": "a." * (n // 2) + "b",
        "ellipses": "wait… " * (n // 6),
        "straight_quotes": '"' * n,
        "curly_quotes": "“”" * (n // 2),
        "reversed_quotes": "”a“ " * (n // 4),
        "single_quotes": "‘a’" * (n // 3),
        "apostrophes": "x’" * (n // 2),
        "brackets": "(" * (n // 2) + ")" * (n // 2),
        "pipes": "|" * n,
        "hyphens": "-" * n,
        "hyphenated_word": "a" + "-a" * (n // 2),
        # lines and space
        "short_lines": "x\n" * (n // 2),
        "blank_lines": "x\n\n" * (n // 3),
        "space_run": "a" + " " * (n - 2) + "b",
        "tab_run": "a\n" + "\t" * (n - 3) + "b",
        "headline_spaces": "Headline" + " " * n + "| Site\n\nBody text.",
        "headline_bars": "A " + "| " * 28 + "x" * 45 + "\n\nBody text follows here.",
        # repetition
        "repeated_phrase": ("took over the town after taking over " * (n // 37 + 1))[:n],
        "repeated_words": "the " * (n // 4),
        "interleaved_phrasal_verbs": " ".join(f"{word(i % 500)}ed up the {word(i)}" for i in range(n // 24)),
        "fragments": "He went to see the militias. Tripoli. " * (n // 39),
        # numbers
        "huge_number": "1" * n + " km (5 miles)",
        "comma_number": "1" + ",000" * (n // 4) + " km (5 miles)",
        "decimal_chain": "1." * (n // 2) + "5 km (3 miles)",
        # capitals and names
        "distinct_capitals": " ".join(f"the {word(i).capitalize()} one {word(i)} two" for i in range(n // 30)),
        "capital_run": " ".join(f"Name{i}" for i in range(n // 8)),
        "acronym": "The " + "Very " * (n // 10) + "(" + "V" * (n // 2) + ")",
        "acronyms": " ".join(f"Some Long Name ({word(i).upper()[:4]})" for i in range(n // 25)),
        "photo_credit": "[" + "A" * n,
        # foreign words and particles
        "particles": " ".join(f"fighters de Name{i}x" for i in range(n // 20)),
        "loanwords": "a de facto move de la " * (n // 22),
        "foreign_run": "la ville et la campagne " * (n // 24),
        "non_words": " ".join(word(i) for i in range(n // 7)),
        "scripts": "文" * (n // 2) + " 语言 " * (n // 8),
        # a little of everything, shuffled
        "mixed": " ".join(rnd.choice(["the", "said", "fighters", "de", "la", "Haftar", "convoy", "military", "society",
                                      "in", "of", "“", "”", ".", "(", ")", "km", "12", "Hausers"]) for _ in range(n // 5)),
    }
