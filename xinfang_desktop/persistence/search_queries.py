"""Full-text search conditions for the ledger: which index answers a search text, and its exact hit count.

SQLite: 3+ characters → the trigram FTS5 table (a quoted phrase). Two CJK characters → the bigram table over names
and addresses, plus the trigram terms that start with those two characters (found in the trigram table's own
vocabulary), so a two-character word in the complaint text is found too. One CJK character → a prefix query on the
bigram table (a surname). Never a pattern shorter than 3 characters against the trigram table: on SQLite 3.40 such a
LIKE silently returns no rows. PostgreSQL: pg_trgm GIN indexes on the same texts.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, TextClause, literal_column, or_, text
from sqlalchemy.orm import Session

from xinfang_desktop.core.search_text import is_cjk, normalize_query
from xinfang_desktop.persistence.records import CaseRecord
from xinfang_desktop.persistence.search_schema import BIGRAM_TABLE, PG_BIGRAM_EXPR, PG_TRIGRAM_EXPR, TRIGRAM_TABLE

VOCAB_TABLE = "temp.case_search_vocab"
MAX_PREFIX_TERMS = 400  # a two-character prefix rarely has more trigrams than this; beyond it, names only


def _like_escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _prefix_terms(session: Session, prefix: str) -> list[str]:
    """Trigrams of the index that start with `prefix` (from the FTS5 vocabulary, a range scan)."""
    session.execute(
        text(f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCAB_TABLE} USING fts5vocab(main, {TRIGRAM_TABLE}, 'row')")
    )
    rows = session.execute(
        text(f"SELECT term FROM {VOCAB_TABLE} WHERE term >= :lo AND term < :hi LIMIT :n"),
        {"lo": prefix, "hi": prefix + "\U0010ffff", "n": MAX_PREFIX_TERMS + 1},
    ).scalars()
    terms = [str(t) for t in rows]
    return [] if len(terms) > MAX_PREFIX_TERMS else terms


def sqlite_hit_parts(session: Session, term: str) -> list[tuple[str, str]] | None:
    """The (FTS table, MATCH expression) pairs whose rowids together are the hits; None when no index applies."""
    if len(term) >= 3:
        return [(TRIGRAM_TABLE, _phrase(term))]
    if not is_cjk(term):
        return None
    if len(term) == 1:
        return [(BIGRAM_TABLE, _phrase(term) + "*")]
    parts = [(BIGRAM_TABLE, _phrase(term))]
    terms = _prefix_terms(session, term)
    if terms:
        parts.append((TRIGRAM_TABLE, " OR ".join(_phrase(t) for t in terms)))
    return parts


def _parts_sql(parts: list[tuple[str, str]], ranged: bool = False) -> tuple[str, dict[str, object]]:
    selects: list[str] = []
    params: dict[str, object] = {}
    for i, (table, match) in enumerate(parts):
        where = f"{table} MATCH :m{i}" + (" AND rowid BETWEEN :lo AND :hi" if ranged else "")
        selects.append(f"SELECT rowid FROM {table} WHERE {where}")
        params[f"m{i}"] = match
    return " UNION ".join(selects), params


def sqlite_hits(session: Session, term: str) -> TextClause | None:
    """A `SELECT rowid …` of the matching case ids, or None when no index applies (short non-CJK text)."""
    parts = sqlite_hit_parts(session, term)
    if parts is None:
        return None
    sql, params = _parts_sql(parts)
    return text(sql).bindparams(**params)


def hit_ids(session: Session, parts: list[tuple[str, str]], lo: int | None = None, hi: int | None = None) -> set[int]:
    """The hits (optionally only ids in [lo, hi]: FTS5 seeks its doclists to the range)."""
    sql, params = _parts_sql(parts, ranged=lo is not None)
    if lo is not None:
        params |= {"lo": lo, "hi": hi}
    return {int(i) for i in session.execute(text(sql), params).scalars()}


def search_condition(session: Session, raw: str) -> ColumnElement[bool]:
    """The WHERE condition of a search box text on the cases table."""
    term = normalize_query(raw)
    if not term:
        return literal_column("1") == 1
    if session.get_bind().dialect.name == "sqlite":
        hits = sqlite_hits(session, term)
        if hits is None:  # one or two digits or letters: scan the short people column
            return CaseRecord.search_people.like(f"%{_like_escape(term)}%", escape="\\")
        return CaseRecord.id.in_(hits.columns(literal_column("rowid")))
    if len(term) >= 3:
        return literal_column(PG_TRIGRAM_EXPR).like(f"%{_like_escape(term)}%", escape="\\")
    if is_cjk(term) and len(term) == 1:
        return literal_column(PG_BIGRAM_EXPR).like(f"% {term}%")
    if is_cjk(term):
        # Names and addresses through the bigram index; the complaint text by a scan (pg_trgm cannot index two
        # characters) — correct, but slower on a very large shared database than the SQLite path.
        return or_(
            literal_column(PG_BIGRAM_EXPR).like(f"% {term} %"),
            CaseRecord.summary.like(f"%{_like_escape(term)}%", escape="\\"),
        )
    return CaseRecord.search_people.like(f"%{_like_escape(term)}%", escape="\\")


def search_hit_count(session: Session, raw: str) -> int | None:
    """The number of cases a search text matches, read from the SQLite indexes alone (None: not answerable so)."""
    term = normalize_query(raw)
    if not term or session.get_bind().dialect.name != "sqlite":
        return None
    parts = sqlite_hit_parts(session, term)
    if parts is None:
        return None
    sql, params = _parts_sql(parts)
    return int(session.execute(text(f"SELECT count(*) FROM ({sql})"), params).scalar_one())
