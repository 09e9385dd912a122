"""Which statistics figures may be shown: zones that an attacker with linear and integer programming
cannot split.

The attacker
------------
HR reads every figure of every answer, CSV and PDF of every cycle and unit. It also knows, from its own
files, how many people in scope each unit has as direct members (so which units have any), and
everything that holds by construction: counts are non-negative integers, followed up <= confirmed <=
submitted <= held <= people (per unit, per cycle), goals and follow-up entries exist only in confirmed
conversations, goals with a status <= goals. Its unknowns are the counts of each unit's direct members
per category; each hidden figure and each group of people (or goals, or entries) is then bounded by
linear and integer programming over everything it knows.

The guarantee
-------------
No hidden figure can be narrowed to a single value or to an interval inside [1, k-1], and no group of
1 to k-1 people (or goals, or entries) can be pinned or so bounded, whatever combination is used.
`tests/reports/lp_attacker.py` checks it with HiGHS, independently of this code.

The construction: one table at a time
-------------------------------------
A table counts one population over the tree: the direct members of each unit split into *categories*
that partition them (people by how far their conversation got, goals of one kind, entries of one
month). A table shows, for a set of units, every one of its figures (sums of categories over the
unit's subtree) and hides them everywhere else. Subtracting the shown units nearest below a shown unit
from it leaves its *zone*: its direct members and those of the hidden units in between. All the
figures of a table together tell exactly the category counts of every zone, and nothing about how a
zone's count splits among its units beyond the head counts. A unit is shown only if its zone passes:
- every category of the zone counts at least k (so do their unions, and the complement of any union
  when the categories cover all people, as for people in scope);
- the zone holds people (heads) in at least two parts: no hidden unit inside it holds all its people,
  so no hidden figure is the zone's count plus shown ones; a hidden unit whose zone part has no
  people at all is shown instead (its figures are sums of shown ones) or has nobody in its subtree;
- for populations the attacker cannot count (goals, entries), the zone also holds at least k people,
  so "somebody here has a confirmed conversation" speaks of k people or more;
- for people, the column that counts every confirmed person (confirmed, else submitted, else held;
  `present_from`) counts at least k - 1 + m in the zone, m the most disjoint sets of its units that
  the goal and entry tables can say somebody confirmed is in (each holds k people or more, so m is
  at most the zone's people over k, and at most its units with people).
Why this suffices, for people (known heads): within a zone of N people with category count z,
k <= z <= N - k, a set of units with n of the zone's people holds between max(0, z - (N - n)) and
min(z, n) of them, and every such value is possible (a transport problem; its polytope is integral).
For n < k that is [0, n]; for n >= k its top is at least k; and it is a single value only for n = 0
or n = N, which the second rule excludes for hidden units. Zones are independent (the shown figures
fix each zone's counts and nothing else), so any set of units spanning zones gets the sum of such
intervals, again never a single value other than for the whole zones and never inside [1, k-1]. The
relations between columns only give bounds that already hold: a hidden count with a lower bound of 1
or more holds more than N - z >= k people of some zone, and then its upper bound is at least k. The
goal and entry tables add "at least one confirmed" to some sets of k people or more: in a zone of z
confirmed with m such disjoint sets, a set's confirmed can be pushed up to min(its people, z - (m - 1))
>= k by the last rule (the others holding one each), so its interval still reaches k (the nightly LP
run found a zone of 5 confirmed in three such parts, each then at most 3). Goals and entries: a
hidden unit's count in a zone ranges from its shown part to that plus the zone's count (>= k), since
another part of the zone could hold them all.

Nested tables
-------------
A second table over the same population whose categories split some of the first's (followed up
out of confirmed; on track out of the goals with a status) and that is shown only in units that show
the first has zones that are unions of the first's zones. Within one of its zones, of N people with
a category count z (k <= z, the rest of its coarser category c - z >= k), the attacker also knows each
inner zone's count c_j of the coarser category (>= k, or nobody there). The finer count of a set of
inner zones holding c' of the coarser one then ranges over [max(0, z - (c - c')), min(z, c')], every
value possible (again a transport problem): its top is at least k, since z and c' are; and it is a
single value only for c' = c (the set holds every inner zone with people, which the second rule
excludes for hidden units) or c' = 0. So each level keeps the guarantee, and a unit shows the figures
of the finest level it is shown in.

People in a cycle are one table over categories of a chain (not held < held < submitted < confirmed
< followed up), each person counted once, under the unit they are in now. Which of the chain's
columns to publish is chosen per cycle (`nested.choose_columns`): an outcome that hardly differs from the
next (in a finished cycle, held and confirmed are almost the same people) would make every zone fail,
so it is left out and the rest is shown in many more units. Then further columns are added one at a
time as nested tables (`nested.refine_columns`): held, say, in the units whose zones hold enough people
between held and confirmed. Goals by status are nested tables too (`nested.refine`): their total as a table
of its own (in a unit of ten people it often counts five or more where no status does), then one
status after another split off, each level within the units of the one before; or, where that shows
fewer figures, one table per status as a population of its own, the total shown only where all four
are. Goal kinds and follow-up entries per month are one table each (one category, a population of
its own).
Rates and medians are shown only where every count they use is shown.

The modules: `zones` draws one table by the zone rule; `nested` chooses and refines nested tables;
`layouts` holds `suppress`, what the statistics ask (the units that show each column of a table, by
how its columns relate), the package's only public name.
"""

from reports.suppression.layouts import suppress

__all__ = ["suppress"]
