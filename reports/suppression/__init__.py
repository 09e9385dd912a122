"""Small-cell suppression for counts over the organisation tree: the anonymity rules of the HR statistics.

The model
---------
A *table* counts one population (people, goals, follow-up entries) over the organisation tree. The
direct members of one unit split into disjoint *categories* (the smallest groups, "atoms"): for people
in a cycle e.g. "held, not submitted", "confirmed, no change request, followed up", ... A *column* is a
published count and sums a fixed set of categories (held = every category but "not held"); the figure
of a unit in a column sums the unit's whole subtree. So every figure is a sum of atoms, and a unit's
figure equals its children's figures plus its direct members' atoms, which are never published: the
direct members act as a hidden extra child of every unit.

The rules, with k = min_group_size
----------------------------------
1. Primary: a figure below k, zero included, is hidden.
2. Row: the visible figures of one unit must not let anyone compute the size of a group of 1..k-1
   (e.g. held 12 and confirmed 9 give "held but not confirmed: 3") nor a hidden figure other than 0.
3. Zone: for a visible figure, subtracting the visible figures below it leaves the "zone": the direct
   members of the unit and of every hidden unit between it and the visible ones. The same two
   conditions hold for the zone, column by column and over every set of columns whose zones coincide
   (e.g. parent 20 - visible child 16 = 4 pins the other children and direct members; a hidden child
   is recovered when it is the only non-empty part of its zone, so a sibling is hidden with it).
   Known sums travel: a unit without direct members whose children all show a sum shows it too; a
   hidden unit that is the only non-empty part of a zone has its sum learnt; and a zone of a unit
   without direct members may not be split by parts (v of w) that its topmost non-empty units show.
A rule that fails hides one more figure (the smallest that helps, a visible one below before the unit
itself), and the rules are applied again until all hold. Figures can be *fixed* (visible or hidden
whatever happens): the statistics fix "employees in scope" to the pattern it gets on its own, because
that figure is shared by every cycle (see below).

Units are settled deepest first, and a change puts the unit and everything above it back in the
queue, so each unit is finally judged with everything below it settled. Columns that count separate
populations (entries per month) can be declared `independent`: each is then protected on its own.

The rules are local, and a sum learnt from a zone is not withdrawn when a later repair hides the
figures it came from; nor can a row whose figures are each the sum of the others lose a single one.
So the rules alone leave rare leaks (about 1 in 700 random organisations, and a parent minus one
shown child in goal statuses). Hence the last step, which makes the guarantee hold by construction:
when the rules hold, the table is checked against the attacker himself (`_Attacker`: what every
visible figure together determines, computed exactly in one pass up and one down the tree), a
figure is hidden against each thing he pins (`_Attacker.repair`), and he checks again, until he pins
nothing. Every round hides at least one more figure, so it ends. (Applying the rules again between
rounds is not needed for the guarantee, and on the 50,000-employee benchmark it cost 38 s of CPU for
one table while hiding more.)

Speed
-----
A table of 5,000 units takes a few tenths of a second (it took seconds when every repair meant
another pass over all units). How:
- Units are numbered once in top-down order (`Tree`, shared by the tables of one organisation): a
  subtree is a range of numbers, per-unit state lives in lists, a unit's hidden columns are the bits
  of one int. A change re-queues only the unit it touches and those above it; a unit's cached
  knowledge is keyed by a stamp that changes with anything below it.
- A set of unions (each a 0/1 vector over the categories, an int) is one int with bit w for union w:
  "the unions a unit gives away" and "the unions below k" meet in one `&`. The unions in the span of
  some columns are enumerated from the echelon form (2**rank sums, not a test per union).
- Rule 2 depends only on a row's own state (counts capped at k, which columns are hidden or fixed,
  whether it learnt anything), so its outcome is remembered per state: most units share a few.
- Rule 3 walks a unit's zones for every w at once; the w with the same frontier share one zone.
- `suppress` remembers its last results by their complete inputs (compared in full), so the same
  table asked for again costs nothing and a changed input is always computed afresh.
These change how the rules are computed, never what they decide: the hidden cells are exactly those
the straightforward implementation hid (checked against it on the 50,000-employee benchmark and on
thousands of random organisations), and the property tests below hold unchanged.
The check against the attacker costs about as much again as the rules (a pass over the units per
round, a few rounds; spaces of at most 8 dimensions, remembered by their echelon form). On the
50,000-employee benchmark the seven tables of one request take about 4 s of CPU together.

The guarantee
-------------
Against someone who sees every visible figure of a table, for every unit at once (so every answer the
API gives for one cycle), and who moreover knows which atoms are empty: no linear combination of those
figures determines a hidden figure that is not 0, or the size of any group (union of atoms) of 1..k-1.
`_Attacker` computes exactly this for the whole table and `suppress` repairs until it finds nothing;
`tests/reports/test_suppression.py` checks it independently with exact linear algebra over random
trees, also for two cycles that share "employees in scope" (the previous-cycle comparison), and
`test_suppression_internals.py` checks `_Attacker` against the plain definition.
"Group" means units x categories (the people of some units in some outcomes).
Not covered: bounds that need inequalities (an attacker may learn that a hidden figure lies in a range
such as 0..7, never that it is exactly some 1..k-1), and hidden zeros, which may be recoverable as zero.

The modules
-----------
`tables` the inputs and the result (`Lattice`, `Tree`, `SuppressedTable`); `bitsets` sets of unions as
the bits of one integer; `span` and `spaces` the exact linear algebra (spans for the rules, echelon
spaces for the attacker); `engine` the rules (`row_rule` rule 2, `zone_rule` and `zones` rule 3) and
the repair loop; `attacker` the exact check; `results` the public `suppress` and its remembered results.
"""

from reports.suppression.attacker import _Attacker
from reports.suppression.bitsets import _bits, _small_unions
from reports.suppression.engine import _Engine
from reports.suppression.results import _RESULTS, forget_results, suppress
from reports.suppression.span import determined_unions, in_span
from reports.suppression.tables import Key, Lattice, SuppressedTable, Tree

__all__ = [
    "_RESULTS",
    "Key",
    "Lattice",
    "SuppressedTable",
    "Tree",
    "_Attacker",
    "_Engine",
    "_bits",
    "_small_unions",
    "determined_unions",
    "forget_results",
    "in_span",
    "suppress",
]
