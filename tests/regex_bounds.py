"""Linear time by construction: every repetition in a pattern is bounded, repetitions nested in repetitions
multiply to a small constant, and an unbounded one repeats a single character class at the pattern's end (a run
consumed once); so a failed attempt costs a constant whatever the line. Used by the tests of every pattern that
reads untrusted lines (the redactor's, the level words')."""

from __future__ import annotations

MAX_ATTEMPT = 20_000


def attempt_cost(items, tail: bool = True) -> int:
    """The largest product of nested repeat bounds in a parsed pattern (`re._parser.parse`).

    An unbounded repeat is allowed only of a single character class and only where nothing
    after it can fail (the pattern's last element, `tail`): it then consumes its run once.
    """
    from re import _constants as c

    worst = 1
    items = list(items)
    for i, (op, av) in enumerate(items):
        last = tail and i == len(items) - 1
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            lo, hi, sub = av
            if hi == c.MAXREPEAT:
                assert last, "an unbounded repeat followed by more of the pattern: quadratic on a long run"
                assert len(sub) == 1 and sub[0][0] in (c.IN, c.ANY, c.LITERAL), "unbounded repeat of a group"
                continue
            worst = max(worst, hi * attempt_cost(sub, tail=False))
        elif op == c.SUBPATTERN:
            worst = max(worst, attempt_cost(av[3], tail=last))
        elif op == c.BRANCH:
            worst = max([worst] + [attempt_cost(branch, tail=last) for branch in av[1]])
        elif op in (c.ASSERT, c.ASSERT_NOT):
            worst = max(worst, attempt_cost(av[1], tail=False))
    return worst
