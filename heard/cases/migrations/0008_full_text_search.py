"""Full-text search indexes: GIN expression indexes on PostgreSQL, FTS5 tables on SQLite.

The expressions must stay identical to those in heard/cases/search.py.
"""

from django.db import migrations

from heard.cases.search import PG_CASE_VECTOR, PG_NAME_VECTOR, PG_NOTE_VECTOR

POSTGRES = [
    f"CREATE INDEX IF NOT EXISTS case_fulltext ON cases_case USING gin (({PG_CASE_VECTOR}))",
    f"CREATE INDEX IF NOT EXISTS casenote_fulltext ON cases_casenote USING gin (({PG_NOTE_VECTOR}))",
    f"CREATE INDEX IF NOT EXISTS customer_name_fulltext ON cases_customer USING gin (({PG_NAME_VECTOR}))",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS case_fulltext",
    "DROP INDEX IF EXISTS casenote_fulltext",
    "DROP INDEX IF EXISTS customer_name_fulltext",
]

SQLITE = [
    "CREATE VIRTUAL TABLE cases_case_fts USING fts5(subject, description,"
    " content='cases_case', content_rowid='id', tokenize='porter unicode61')",
    "CREATE TRIGGER cases_case_fts_ai AFTER INSERT ON cases_case BEGIN"
    " INSERT INTO cases_case_fts(rowid, subject, description)"
    " VALUES (new.id, new.subject, new.description); END",
    "CREATE TRIGGER cases_case_fts_ad AFTER DELETE ON cases_case BEGIN"
    " INSERT INTO cases_case_fts(cases_case_fts, rowid, subject, description)"
    " VALUES ('delete', old.id, old.subject, old.description); END",
    "CREATE TRIGGER cases_case_fts_au AFTER UPDATE OF subject, description ON cases_case BEGIN"
    " INSERT INTO cases_case_fts(cases_case_fts, rowid, subject, description)"
    " VALUES ('delete', old.id, old.subject, old.description);"
    " INSERT INTO cases_case_fts(rowid, subject, description)"
    " VALUES (new.id, new.subject, new.description); END",
    "INSERT INTO cases_case_fts(cases_case_fts) VALUES ('rebuild')",
    "CREATE VIRTUAL TABLE cases_casenote_fts USING fts5(text,"
    " content='cases_casenote', content_rowid='id', tokenize='porter unicode61')",
    "CREATE TRIGGER cases_casenote_fts_ai AFTER INSERT ON cases_casenote BEGIN"
    " INSERT INTO cases_casenote_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER cases_casenote_fts_ad AFTER DELETE ON cases_casenote BEGIN"
    " INSERT INTO cases_casenote_fts(cases_casenote_fts, rowid, text)"
    " VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER cases_casenote_fts_au AFTER UPDATE OF text ON cases_casenote BEGIN"
    " INSERT INTO cases_casenote_fts(cases_casenote_fts, rowid, text)"
    " VALUES ('delete', old.id, old.text);"
    " INSERT INTO cases_casenote_fts(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO cases_casenote_fts(cases_casenote_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS cases_case_fts_ai",
    "DROP TRIGGER IF EXISTS cases_case_fts_ad",
    "DROP TRIGGER IF EXISTS cases_case_fts_au",
    "DROP TABLE IF EXISTS cases_case_fts",
    "DROP TRIGGER IF EXISTS cases_casenote_fts_ai",
    "DROP TRIGGER IF EXISTS cases_casenote_fts_ad",
    "DROP TRIGGER IF EXISTS cases_casenote_fts_au",
    "DROP TABLE IF EXISTS cases_casenote_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_notes_links_routing_search_fields")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
