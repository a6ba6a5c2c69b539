"""Role rotation for a role-play session: generate, check, swap by hand, re-plan mid-session.

Every round has one Operator, one AI System, one Facilitator and one or more Observers (everyone
else). With three participants the trainer facilitates (``facilitator is None``).

How the rules are judged (``check_rotation``):

* Structure, per round: one Operator, one AI System, one Facilitator (``None`` exactly when the
  roster has three people), at least one Observer, every roster person in exactly one role, no
  one who is not on the roster.
* ``everyone_every_role``: each person plays each role at least once -- judged only for roles
  the rounds can give everyone. A role is judged when the people still lacking it fit in its
  slots over the rounds left (with a fixed roster: rounds >= max(4, people), or >= 3 with three
  people; Observer already from fewer rounds when there are many observer seats).
* ``operator_balance``: operator turns differ by at most one between people. After a re-plan the
  history may make that impossible; then the bound is the best spread still reachable
  (operator turns given to whoever has fewest, nobody operating twice in a row).
* ``consecutive_role``: the same Operator / AI System / Facilitator role in two consecutive
  rounds is always avoidable, so always flagged. Observer repeats are unavoidable when observers
  outnumber the seats of the next round: of the people observing in round r, at most the
  next round's active seats (3, or 2 with three people) can leave the Observer role. Only the
  repeats beyond that minimum are flagged -- per person when the minimum is 0, otherwise once
  for the pair of rounds (``person=None``), since any of the repeaters could be the one moved.

After a re-plan, pass ``played=k``: the first k rounds are history. They still count for the
whole-session rules (roles played, operator turns, the repeat into round k+1), but only people
on the current roster are judged, and nothing that only history could fix is reported.

Generation is a direct construction, so every rule holds for any roster size and any number of
rounds: people (sorted, then shuffled by the seed) sit on a circle; round r gives the three
active roles to seats 3r, 3r+1, 3r+2 (mod n), the rest observe. Consecutive rounds therefore use
disjoint active seats when n >= 6 (minimum observer repeats), and a role moves on when n is 4 or
5. When 3 divides n the seats would always get the same role, so the role order rotates once
per lap of the circle. Re-planning adds a deterministic local search over the remaining rounds
because the history breaks the symmetry the construction relies on.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from hotdash_roleplay.errors import UserError
from hotdash_roleplay.names import clean_name, name_key

# Who takes a role's seat when no participant has it.
TRAINER = "Trainer"

MIN_PEOPLE = 3
MAX_PEOPLE = 12
MAX_ROUNDS = 100

__all__ = [
    "MAX_PEOPLE",
    "MAX_ROUNDS",
    "MIN_PEOPLE",
    "RULES",
    "Role",
    "RoundRoles",
    "Violation",
    "check_rotation",
    "default_rounds",
    "generate_rotation",
    "replan",
    "swap",
    "validate_roster",
]


class Role(StrEnum):
    OPERATOR = "operator"
    AI_SYSTEM = "ai_system"
    FACILITATOR = "facilitator"
    OBSERVER = "observer"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Role.OPERATOR: "Operator",
    Role.AI_SYSTEM: "AI System",
    Role.FACILITATOR: "Facilitator",
    Role.OBSERVER: "Observer",
}

# Rule keys a Violation can carry, with a line a UI can show as a legend.
RULES: dict[str, str] = {
    "one_operator": "Every round has one Operator.",
    "one_ai_system": "Every round has one AI System.",
    "one_facilitator": "Every round has one Facilitator (the trainer when there are three).",
    "one_observer": "Every round has at least one Observer.",
    "one_role_each": "Nobody has two roles in the same round.",
    "unknown_person": "Only people on the roster take part.",
    "missing_person": "Everyone on the roster has a role in every round.",
    "everyone_every_role": "Everyone plays every role at least once, where rounds allow.",
    "operator_balance": "Operator turns differ by at most one between people.",
    "consecutive_role": "Nobody keeps the same role in consecutive rounds, where avoidable.",
}


@dataclass(frozen=True)
class RoundRoles:
    operator: str
    ai_system: str
    facilitator: str | None  # None: the trainer facilitates (three participants)
    observers: tuple[str, ...]

    def __post_init__(self) -> None:
        # Callers building rounds from JSON or the store often hold lists; keep it hashable.
        if not isinstance(self.observers, tuple):
            object.__setattr__(self, "observers", tuple(self.observers))

    def role_of(self, name: str) -> Role | None:
        if name == self.operator:
            return Role.OPERATOR
        if name == self.ai_system:
            return Role.AI_SYSTEM
        if self.facilitator is not None and name == self.facilitator:
            return Role.FACILITATOR
        if name in self.observers:
            return Role.OBSERVER
        return None

    def people(self) -> tuple[str, ...]:
        """Everyone with a role this round (not the trainer), in role order."""
        head: tuple[str, ...] = (self.operator, self.ai_system)
        if self.facilitator is not None:
            head += (self.facilitator,)
        return head + self.observers


@dataclass(frozen=True)
class Violation:
    rule: str  # a key of RULES
    round_index: int | None  # 0-based; None for whole-session rules
    person: str | None
    message: str  # a sentence for the trainer; round numbers are 1-based

    def __str__(self) -> str:
        return self.message


def default_rounds(n_people: int) -> int:
    """Enough rounds for everyone to operate once (and, from four people, a Latin square)."""
    return max(4, n_people)


def validate_roster(names: Iterable[str]) -> list[str]:
    """Return the names stripped, or raise UserError saying what is wrong with the roster."""
    if isinstance(names, str):
        raise TypeError("validate_roster expects a list of names, not one string")
    cleaned: list[str] = []
    seen: dict[str, str] = {}
    for raw in names:
        if not isinstance(raw, str):
            raise UserError("Participant names must be text.")
        if not raw.strip():
            raise UserError("Participant names cannot be empty.")
        name = clean_name(raw)
        # Case-insensitive: "Ann" and "ann" on one projector are surely the same person.
        key = name_key(name)
        if key in seen:
            first = seen[key]
            extra = "" if first == name else f" (also given as {first})"
            raise UserError(f"Duplicate name: {name}{extra}")
        seen[key] = name
        cleaned.append(name)
    if not MIN_PEOPLE <= len(cleaned) <= MAX_PEOPLE:
        raise UserError(
            f"A session needs {MIN_PEOPLE} to {MAX_PEOPLE} participants; {len(cleaned)} given."
        )
    return cleaned


def _validate_rounds(rounds: int) -> int:
    if isinstance(rounds, bool) or not isinstance(rounds, int):
        raise UserError("The number of rounds must be a whole number.")
    if not 1 <= rounds <= MAX_ROUNDS:
        raise UserError(f"A session has 1 to {MAX_ROUNDS} rounds; {rounds} given.")
    return rounds


def _sort_key(name: str) -> tuple[str, str]:
    return (name.casefold(), name)


# Roles as small ints inside the algorithms; _ABSENT marks a round someone was not in.
_O, _A, _F, _OBS, _ABSENT = 0, 1, 2, 3, -1
_ROLE_OF_INT = (Role.OPERATOR, Role.AI_SYSTEM, Role.FACILITATOR, Role.OBSERVER)
_INT_OF_ROLE = {role: i for i, role in enumerate(_ROLE_OF_INT)}


def _construct(order: Sequence[str], rounds: int, kinds: Sequence[int]) -> list[dict[str, int]]:
    """The circle construction (see module doc). kinds: the three active roles, seed-permuted;
    with three people the third "active" kind is Observer, as the trainer facilitates."""
    n = len(order)
    plan: list[dict[str, int]] = []
    for r in range(rounds):
        lap = (3 * r) // n if n % 3 == 0 else 0
        roles = dict.fromkeys(order, _OBS)
        for j in range(3):
            roles[order[(3 * r + j) % n]] = kinds[(j + lap) % 3]
        plan.append(roles)
    return plan


def _to_round(roles: dict[str, int], rank: dict[str, tuple[str, str]]) -> RoundRoles:
    by_kind: dict[int, list[str]] = {_O: [], _A: [], _F: [], _OBS: []}
    for name, kind in roles.items():
        by_kind[kind].append(name)
    return RoundRoles(
        operator=by_kind[_O][0],
        ai_system=by_kind[_A][0],
        facilitator=by_kind[_F][0] if by_kind[_F] else None,
        observers=tuple(sorted(by_kind[_OBS], key=rank.__getitem__)),
    )


def _seeded_layout(roster: list[str], rng: random.Random) -> tuple[list[str], list[int]]:
    order = sorted(roster, key=_sort_key)  # input order must not change the plan
    rng.shuffle(order)
    kinds = [_O, _A, _F] if len(roster) > 3 else [_O, _A, _OBS]
    rng.shuffle(kinds)
    return order, kinds


def generate_rotation(
    people: Sequence[str], rounds: int | None = None, seed: int | str = 0
) -> list[RoundRoles]:
    """A plan meeting every rule of check_rotation; the same roster (in any order) and seed
    always give the same plan. Observers are listed alphabetically."""
    roster = validate_roster(people)
    total = default_rounds(len(roster)) if rounds is None else _validate_rounds(rounds)
    order, kinds = _seeded_layout(roster, random.Random(seed))
    rank = {name: _sort_key(name) for name in roster}
    return [_to_round(roles, rank) for roles in _construct(order, total, kinds)]


# ---------------------------------------------------------------------------------------------
# Checking


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _structure(index: int, rnd: RoundRoles, roster: list[str]) -> list[Violation]:
    out: list[Violation] = []
    no = index + 1

    def add(rule: str, message: str, person: str | None = None) -> None:
        out.append(Violation(rule, index, person, message))

    if not rnd.operator.strip():
        add("one_operator", f"Round {no} has no Operator.")
    if not rnd.ai_system.strip():
        add("one_ai_system", f"Round {no} has no AI System.")
    if len(roster) == MIN_PEOPLE:
        if rnd.facilitator is not None:
            add(
                "one_facilitator",
                f"Round {no}: with three participants the trainer facilitates, "
                f"not {rnd.facilitator}.",
                rnd.facilitator,
            )
    elif rnd.facilitator is None or not rnd.facilitator.strip():
        add(
            "one_facilitator",
            f"Round {no} has no Facilitator; with four or more participants one of them "
            "facilitates.",
        )
    if not any(name.strip() for name in rnd.observers):
        add("one_observer", f"Round {no} has no Observer.")

    named = [
        (name, role)
        for name, role in [
            (rnd.operator, Role.OPERATOR),
            (rnd.ai_system, Role.AI_SYSTEM),
            (rnd.facilitator, Role.FACILITATOR),
            *((obs, Role.OBSERVER) for obs in rnd.observers),
        ]
        if name is not None and name.strip()
    ]
    roles_by_name: dict[str, list[Role]] = {}
    for name, role in named:
        roles_by_name.setdefault(name, []).append(role)
    on_roster = set(roster)
    for name, roles in roles_by_name.items():
        if len(roles) > 1:
            labels = _join([r.label for r in roles])
            add("one_role_each", f"Round {no}: {name} has more than one role ({labels}).", name)
        if name not in on_roster:
            add("unknown_person", f"Round {no}: {name} is not on the roster.", name)
    for name in roster:
        if name not in roles_by_name:
            add("missing_person", f"Round {no}: {name} has no role.", name)
    return out


def _best_spread(history: list[int], future: int, operated_last: list[bool]) -> int:
    """Smallest max-min of operator turns reachable in `future` rounds: each turn goes to whoever
    has fewest, nobody operating twice in a row (a cap of every other round)."""
    counts = list(history)
    caps = [future // 2 if last else (future + 1) // 2 for last in operated_last]
    for _ in range(future):
        open_ = [i for i in range(len(counts)) if caps[i] > 0]
        i = min(open_, key=lambda k: (counts[k], k))
        counts[i] += 1
        caps[i] -= 1
    return max(counts) - min(counts)


def check_rotation(
    rounds: Sequence[RoundRoles], people: Sequence[str], *, played: int = 0
) -> list[Violation]:
    """Every rule the plan breaks, in a stable order (structure by round, then whole-session
    rules, then consecutive repeats). `played`: rounds already played (see module doc)."""
    roster = validate_roster(people)
    if not 0 <= played <= len(rounds):
        raise ValueError(f"played={played} outside 0..{len(rounds)}")
    out: list[Violation] = []
    for index in range(played, len(rounds)):
        out.extend(_structure(index, rounds[index], roster))

    # name -> role per round; _ABSENT for people not in it. Only roster people are judged.
    seq = {name: [_role_int(rnd, name) for rnd in rounds] for name in roster}
    left = len(rounds) - played
    out.extend(_check_every_role(seq, roster, played, left))
    out.extend(_check_operator_balance(seq, roster, played, left))
    out.extend(_check_consecutive(rounds, played))
    return out


def _role_int(rnd: RoundRoles, name: str) -> int:
    role = rnd.role_of(name)
    return _ABSENT if role is None else _INT_OF_ROLE[role]


def _offered(n: int) -> list[int]:
    return [_O, _A, _F, _OBS] if n > MIN_PEOPLE else [_O, _A, _OBS]


def _seats(n: int, kind: int) -> int:
    return (n - 3 if n > MIN_PEOPLE else 1) if kind == _OBS else 1


def _judged_roles(history: list[list[int]], n: int, left: int) -> list[set[int]]:
    """Per person (rows of `history`), the roles they still lack that the rounds left can give
    everyone: a role is judged when those lacking it fit in its seats; a person is judged only
    when all their judged roles fit in the rounds left."""
    lacking = [[k for k in _offered(n) if k not in roles] for roles in history]
    kinds = {k for k in _offered(n) if sum(k in lack for lack in lacking) <= _seats(n, k) * left}
    judged = [{k for k in lack if k in kinds} for lack in lacking]
    return [roles if len(roles) <= left else set() for roles in judged]


def _check_every_role(
    seq: dict[str, list[int]], roster: list[str], played: int, left: int
) -> list[Violation]:
    if left == 0:
        return []
    judged = _judged_roles([seq[name][:played] for name in roster], len(roster), left)
    out: list[Violation] = []
    for name, roles in zip(roster, judged, strict=True):
        never = [k for k in sorted(roles) if k not in seq[name]]
        if never:
            labels = _join([_ROLE_OF_INT[k].label for k in never])
            out.append(
                Violation("everyone_every_role", None, name, f"{name} never plays {labels}.")
            )
    return out


def _check_operator_balance(
    seq: dict[str, list[int]], roster: list[str], played: int, left: int
) -> list[Violation]:
    counts = {name: seq[name].count(_O) for name in roster}
    history = [seq[name][:played].count(_O) for name in roster]
    operated_last = [played > 0 and seq[name][played - 1] == _O for name in roster]
    allowed = max(1, _best_spread(history, left, operated_last))
    most = max(counts.values())
    if most - min(counts.values()) <= allowed:
        return []
    leaders = [name for name in roster if counts[name] == most]
    bound = "one" if allowed == 1 else str(allowed)
    out: list[Violation] = []
    for name in roster:
        if counts[name] < most - allowed:
            message = (
                f"{name} operates {_plural(counts[name], 'time')} while {_join(leaders)} "
                f"{'operates' if len(leaders) == 1 else 'operate'} {_plural(most, 'time')}; "
                f"operator turns should differ by at most {bound}."
            )
            out.append(Violation("operator_balance", None, name, message))
    return out


def _check_consecutive(rounds: Sequence[RoundRoles], played: int) -> list[Violation]:
    out: list[Violation] = []
    for index in range(max(played, 1), len(rounds)):
        before, now = rounds[index - 1], rounds[index]
        a, b = index, index + 1  # 1-based numbers of the two rounds
        for name in dict.fromkeys(p for p in now.people() if p.strip()):
            role = now.role_of(name)
            if role is not Role.OBSERVER and role is not None and before.role_of(name) is role:
                out.append(
                    Violation(
                        "consecutive_role",
                        index,
                        name,
                        f"{name} is {role.label} in both round {a} and round {b}.",
                    )
                )
        present = set(now.people())
        observed = [p for p in dict.fromkeys(before.observers) if p in present]
        repeats = [p for p in observed if now.role_of(p) is Role.OBSERVER]
        active_seats = 3 if now.facilitator is not None else 2
        unavoidable = max(0, len(observed) - active_seats)
        if len(repeats) <= unavoidable:
            continue
        if unavoidable == 0:
            for name in repeats:
                out.append(
                    Violation(
                        "consecutive_role",
                        index,
                        name,
                        f"{name} is Observer in both round {a} and round {b}.",
                    )
                )
        else:
            message = (
                f"Rounds {a} and {b}: {len(repeats)} people observe in both "
                f"({_join(repeats)}); only {unavoidable} must. Give round {b}'s active roles "
                f"to people who observed in round {a}."
            )
            out.append(Violation("consecutive_role", index, None, message))
    return out


# ---------------------------------------------------------------------------------------------
# Editing


def swap(
    rounds: Sequence[RoundRoles],
    round_index: int,
    a: str,
    b: str,
    people: Sequence[str],
    *,
    played: int = 0,
) -> tuple[list[RoundRoles], list[Violation]]:
    """Exchange the roles of a and b in one round. The new plan is returned with every rule it
    now breaks, for the caller to show; rounds already played cannot change."""
    roster = validate_roster(people)
    if not 0 <= round_index < len(rounds):
        raise UserError(f"There is no round {round_index + 1}; the plan has {len(rounds)} rounds.")
    if round_index < played:
        raise UserError(f"Round {round_index + 1} has already been played; it stays as played.")
    if a == b:
        raise UserError("Pick two different people to swap.")
    rnd = rounds[round_index]
    for name in (a, b):
        if name not in roster:
            raise UserError(f"{name} is not on the roster.")
        if rnd.role_of(name) is None:
            raise UserError(f"{name} has no role in round {round_index + 1}.")

    def other(name: str | None) -> str | None:
        return b if name == a else a if name == b else name

    swapped = RoundRoles(
        operator=other(rnd.operator) or "",
        ai_system=other(rnd.ai_system) or "",
        facilitator=other(rnd.facilitator),
        observers=tuple(other(name) or "" for name in rnd.observers),
    )
    new = list(rounds)
    new[round_index] = swapped
    return new, check_rotation(new, roster, played=played)


# ---------------------------------------------------------------------------------------------
# Re-planning

# Penalty weights for the local search, in order of what matters to a trainer: balanced operator
# turns (squared counts, minimal when balanced), every role played, no repeated active role,
# then as few observer repeats as possible.
_W_OP = 100
_W_MISS = 60
_W_MISS_SPARE = 2
_W_REPEAT = 40
_W_OBS_REPEAT = 5
_CANDIDATES = 4

# Cost of holding roles (x, y) in two consecutive rounds; index -1 (_ABSENT) hits the zero row
# and column at the end.
_PAIR = [[_W_REPEAT if x == y else 0 for y in range(4)] + [0] for x in range(3)] + [
    [0, 0, 0, _W_OBS_REPEAT, 0],
    [0] * 5,
]
_ANNEAL_STEPS_PER_ROUND = 300


class _Search:
    """Local search over the rounds after the history; people are indices into `names`."""

    def __init__(self, hist: list[list[int]], future: list[list[int]], n: int) -> None:
        self.h = len(hist[0]) if hist else 0
        self.seq = [hist[p] + future[p] for p in range(len(hist))]
        self.t = len(self.seq[0])
        # Missing a judged role costs like a violation; other missing roles only break ties, so
        # the search never trades a flagged repeat for a role the rules cannot demand.
        judged = _judged_roles(hist, n, self.t - self.h)
        self.miss = [
            [
                (_W_MISS if k in judged[p] else _W_MISS_SPARE) if k in _offered(n) else 0
                for k in range(4)
            ]
            for p in range(len(hist))
        ]
        self.counts = [[s.count(k) for k in range(4)] for s in self.seq]

    def cost(self, p: int) -> int:
        s, c, miss = self.seq[p], self.counts[p], self.miss[p]
        total = _W_OP * c[_O] ** 2 + sum(miss[k] for k in range(4) if c[k] == 0)
        for i in range(max(self.h, 1), self.t):
            total += _PAIR[s[i - 1]][s[i]]
        return total

    def total(self) -> int:
        return sum(self.cost(p) for p in range(len(self.seq)))

    def _delta(self, p: int, i: int, new: int) -> int:
        """Change of p's cost if p took role `new` in round i (the hot loop: kept flat)."""
        s, c = self.seq[p], self.counts[p]
        old = s[i]
        d = 0
        if old == _O:
            d += _W_OP * (1 - 2 * c[_O])
        elif new == _O:
            d += _W_OP * (2 * c[_O] + 1)
        if c[old] == 1:
            d += self.miss[p][old]
        if c[new] == 0:
            d -= self.miss[p][new]
        if i > 0:
            row = _PAIR[s[i - 1]]
            d += row[new] - row[old]
        if i + 1 < self.t:
            nxt = s[i + 1]
            d += _PAIR[new][nxt] - _PAIR[old][nxt]
        return d

    def _set(self, p: int, i: int, new: int) -> None:
        c = self.counts[p]
        c[self.seq[p][i]] -= 1
        c[new] += 1
        self.seq[p][i] = new

    def _swap_tracks(self, x: int, y: int) -> int:
        """Exchange x's and y's whole future; returns the change of penalty."""
        before = self.cost(x) + self.cost(y)
        sx, sy = self.seq[x], self.seq[y]
        sx[self.h :], sy[self.h :] = sy[self.h :], sx[self.h :]
        self.counts[x] = [sx.count(k) for k in range(4)]
        self.counts[y] = [sy.count(k) for k in range(4)]
        return self.cost(x) + self.cost(y) - before

    def anneal(self, rng: random.Random, steps: int) -> None:
        """Simulated annealing on single-round swaps: hill-climbing alone gets stuck where a fix
        needs a temporary repeat (e.g. a newcomer should observe first, act later). Ends on the
        best state seen."""
        n, h, t = len(self.seq), self.h, self.t
        seq, rand = self.seq, rng.random
        # Every move involves a person in an active seat (two observers swapping is a no-op).
        seat_kinds = [_O, _A, _F] if n > MIN_PEOPLE else [_O, _A, _OBS]
        holders = [
            [next(p for p in range(n) if seq[p][i] == k) for k in seat_kinds] for i in range(h, t)
        ]
        current = best = self.total()
        best_seq = [s[h:] for s in seq]
        temperature, cooling = 10.0, (0.5 / 10.0) ** (1.0 / max(steps, 1))
        for _ in range(steps):
            temperature *= cooling
            r = int(rand() * (t - h))
            i = h + r
            x = holders[r][int(rand() * 3)]
            y = int(rand() * (n - 1))
            y += y >= x
            rx, ry = seq[x][i], seq[y][i]
            d = self._delta(x, i, ry) + self._delta(y, i, rx)
            if d <= 0 or rand() < math.exp(-d / temperature):
                self._set(x, i, ry)
                self._set(y, i, rx)
                seats = holders[r]
                for j, k in enumerate(seat_kinds):
                    if k == rx:
                        seats[j] = y
                    elif k == ry:
                        seats[j] = x
                current += d
                if current < best:
                    best = current
                    best_seq = [s[h:] for s in seq]
        for p, tail in enumerate(best_seq):
            self.seq[p][h:] = tail
            self.counts[p] = [self.seq[p].count(k) for k in range(4)]

    def run(self, max_sweeps: int = 50) -> None:
        n = len(self.seq)
        for _ in range(max_sweeps):
            improved = False
            for x in range(n):
                for y in range(x + 1, n):
                    if self._swap_tracks(x, y) < 0:
                        improved = True
                    else:
                        self._swap_tracks(x, y)  # undo
            for i in range(self.h, self.t):
                for x in range(n):
                    for y in range(x + 1, n):
                        rx, ry = self.seq[x][i], self.seq[y][i]
                        if rx == ry:
                            continue
                        if self._delta(x, i, ry) + self._delta(y, i, rx) < 0:
                            self._set(x, i, ry)
                            self._set(y, i, rx)
                            improved = True
            if not improved:
                return


def replan(
    played: Sequence[RoundRoles],
    people: Sequence[str],
    total_rounds: int | None = None,
    seed: int | str = 0,
) -> list[RoundRoles]:
    """Keep the played rounds exactly and plan the rest for the current roster.

    The session gets max(total_rounds, played + number of present people who have not operated
    yet) rounds, so everyone present operates at least once; without total_rounds the target is
    max(default_rounds(people), played). The remaining rounds minimise, over the whole session
    and for the present people only: uneven operator turns (those who operated least go first),
    roles never played, a repeated active role, then observer repeats.
    """
    roster = validate_roster(people)
    history = list(played)
    if total_rounds is not None:
        _validate_rounds(total_rounds)
    n = len(roster)
    names = sorted(roster, key=_sort_key)
    hist = [[_role_int(rnd, name) for rnd in history] for name in names]
    not_operated = sum(1 for s in hist if _O not in s)
    target = total_rounds if total_rounds is not None else max(default_rounds(n), len(history))
    total = max(target, len(history) + not_operated)
    left = total - len(history)
    if left <= 0:
        return history
    if not history:
        return generate_rotation(roster, left, seed)

    rng = random.Random(seed)
    rank = {name: _sort_key(name) for name in roster}
    best: tuple[int, list[list[int]]] | None = None
    for _ in range(_CANDIDATES):
        order, kinds = _seeded_layout(roster, rng)
        future = _construct(order, left, kinds)
        search = _Search(hist, [[rnd[name] for rnd in future] for name in names], n)
        # Whole-track exchanges first: they fit the history (who still lacks what) to the
        # construction's tracks; annealing then repairs the seams; a last climb polishes.
        search.run()
        search.anneal(rng, _ANNEAL_STEPS_PER_ROUND * left)
        search.run()
        score = search.total()
        if best is None or score < best[0]:
            best = (score, [s[search.h :] for s in search.seq])
    assert best is not None
    tracks = best[1]
    plan = [
        _to_round({name: tracks[p][i] for p, name in enumerate(names)}, rank) for i in range(left)
    ]
    return history + plan
