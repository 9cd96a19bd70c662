"""Partner directory latency: 100,000 synthetic organisations in SQLite on disk.

    python -m bench.directory [--orgs 100000] [--queries 200] [--warmup 10] [--seed 1]
                              [--json bench/results/search.json] [--db-dir DIR]
                              [--analyze] [--keep]

The fixture is written with SQLAlchemy Core `insert()` executemany, one transaction per
10,000 organisations: users, organisations (tag mask columns from `indexing.masks_of`),
organisation_tags and organisation_words (from `indexing.words_of`), with names, cities
and descriptions in Russian, Kazakh, Armenian, Kyrgyz and English. It is deterministic
for a seed. The engine is `db.engine.create_engine`, configured as the bot's (WAL, …).

Then every shape of query runs `--queries` times through the public service
(`bot.handlers.directory.search.find` / `suggest`), each time for another viewer (the owner of a
random active organisation) and other filter values, after `--warmup` unmeasured runs
per shape; shapes take turns so that noise spreads evenly. Latency is the time around the
service call (its own transaction, the `me` lookup of `find`, count, ids, cards). The
viewer's `me` for "suggested for you" is looked up before the clock starts, as the bot
holds it already when it suggests.

Also recorded per shape: SQL statements per call and the most organisations loaded into
Python by one call (ORM load events), which shows that no shape loads the directory;
and the SQLite query plan of the main statement of each shape.
Exit status 1 when the run was wrong (a call loaded more organisations than its page and
the viewer's own, or a viewer had no profile), not when a target is missed. `--analyze`
gathers planner statistics after the build (the bot gathers none) to compare plans;
`--keep` leaves the database file for experiments.

The package: `fixture` (the synthetic organisations; `python -m bench.stats` and
`python -m bench.webapp` build theirs with it), `queries` (the shapes), `measure` (the
measured calls), `plans` (the query plans), `run`, `report`, `__main__`.
"""

from bench.directory.fixture import build_fixture, database_size
from bench.directory.queries import Query, QueryMaker

__all__ = ["Query", "QueryMaker", "build_fixture", "database_size"]
