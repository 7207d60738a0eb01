#!/usr/bin/env python
"""Migrate a fresh database with real Django and dump its auth schema as JSON.

    .venv-django/bin/python scripts/django/dump_schema.py sqlite [OUT]
    .venv-django/bin/python scripts/django/dump_schema.py postgres URL [OUT]

  sqlite    migrates a new SQLite file in a temporary directory
            (default OUT: Tests/Fixtures/django/schema-sqlite.json)
  postgres  URL is postgres://USER@HOST:PORT/DB of a server you may create
            databases on (e.g. the cluster from scripts/pg/start.sh). A fresh
            database gatehouse_schema_dump_<pid> is created there, migrated,
            dumped and dropped again; DB in the URL is only used to connect.
            (default OUT: Tests/Fixtures/django/schema-postgresql.json)

Options (after the positional arguments):
  --no-verify-cli   skip re-running every query through the sqlite3 / psql CLI
  --default-auto-field DOTTED.PATH   override DEFAULT_AUTO_FIELD (experiments;
                    the committed fixtures use the settings' BigAutoField)

The JSON holds the SQL text of each introspection query together with its
rows. Every output cell is text (or null) and every query is ordered, so a
test can run the same SQL against another database built to be Django-
compatible and compare the rows exactly. Only these tables are looked at:
TABLES below (not django_migrations, sqlite_sequence or anything else).
"reference_ddl" and "data" are for reading and optional checks only.
"""

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from urllib.parse import urlsplit, urlunsplit

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

TABLES = [
    "auth_group",
    "auth_group_permissions",
    "auth_permission",
    "auth_user",
    "auth_user_groups",
    "auth_user_user_permissions",
    "django_content_type",
    "django_session",
]
TABLE_LIST = ", ".join("'%s'" % t for t in TABLES)

# ---------------------------------------------------------------------------
# SQLite: one plain SELECT each, table-valued pragma functions joined with
# sqlite_master. Works on SQLite >= 3.16 (pragma functions).
# ---------------------------------------------------------------------------
SQLITE_QUERIES = [
    ("tables", """
SELECT CAST(m.name AS TEXT) AS table_name,
       CAST(m.type AS TEXT) AS type
FROM sqlite_master AS m
WHERE m.type = 'table' AND m.name IN (%(tables)s)
ORDER BY m.name
"""),
    ("columns", """
SELECT CAST(m.name AS TEXT) AS table_name,
       CAST(p.name AS TEXT) AS column_name,
       CAST(p.type AS TEXT) AS declared_type,
       CAST(p."notnull" AS TEXT) AS not_null,
       CAST(p.dflt_value AS TEXT) AS default_value,
       CAST(p.pk AS TEXT) AS pk_position,
       CAST(CASE WHEN p.pk > 0 AND upper(m.sql) LIKE '%%AUTOINCREMENT%%' THEN 1 ELSE 0 END AS TEXT) AS is_autoincrement
FROM sqlite_master AS m
JOIN pragma_table_info(m.name) AS p
WHERE m.type = 'table' AND m.name IN (%(tables)s)
ORDER BY m.name, p.name
"""),
    ("column_order", """
SELECT CAST(m.name AS TEXT) AS table_name,
       CAST(p.cid AS TEXT) AS position,
       CAST(p.name AS TEXT) AS column_name
FROM sqlite_master AS m
JOIN pragma_table_info(m.name) AS p
WHERE m.type = 'table' AND m.name IN (%(tables)s)
ORDER BY m.name, p.cid
"""),
    ("indexes", """
SELECT CAST(m.name AS TEXT) AS table_name,
       CAST(il.name AS TEXT) AS index_name,
       CAST(il."unique" AS TEXT) AS is_unique,
       CAST(il.origin AS TEXT) AS origin,
       CAST(il.partial AS TEXT) AS partial,
       CAST((SELECT group_concat(x.name, ',')
             FROM (SELECT ii.name AS name FROM pragma_index_info(il.name) AS ii ORDER BY ii.seqno) AS x)
            AS TEXT) AS columns
FROM sqlite_master AS m
JOIN pragma_index_list(m.name) AS il
WHERE m.type = 'table' AND m.name IN (%(tables)s)
ORDER BY m.name, il.name
"""),
    ("index_columns", """
SELECT CAST(m.name AS TEXT) AS table_name,
       CAST(il.name AS TEXT) AS index_name,
       CAST(ix.seqno AS TEXT) AS seqno,
       CAST(ix.name AS TEXT) AS column_name,
       CAST(ix."desc" AS TEXT) AS descending,
       CAST(ix.coll AS TEXT) AS collation_name
FROM sqlite_master AS m
JOIN pragma_index_list(m.name) AS il
JOIN pragma_index_xinfo(il.name) AS ix
WHERE m.type = 'table' AND m.name IN (%(tables)s) AND ix.key = 1
ORDER BY m.name, il.name, ix.seqno
"""),
    ("unique", """
SELECT CAST(m.name AS TEXT) AS table_name,
       CAST(il.name AS TEXT) AS index_name,
       CAST(il.origin AS TEXT) AS origin,
       CAST((SELECT group_concat(x.name, ',')
             FROM (SELECT ii.name AS name FROM pragma_index_info(il.name) AS ii ORDER BY ii.seqno) AS x)
            AS TEXT) AS columns
FROM sqlite_master AS m
JOIN pragma_index_list(m.name) AS il
WHERE m.type = 'table' AND m.name IN (%(tables)s) AND il."unique" = 1
ORDER BY m.name, columns
"""),
    ("foreign_keys", """
SELECT CAST(m.name AS TEXT) AS table_name,
       CAST(fk."from" AS TEXT) AS column_name,
       CAST(fk."table" AS TEXT) AS ref_table,
       CAST(fk."to" AS TEXT) AS ref_column,
       CAST(fk.on_update AS TEXT) AS on_update,
       CAST(fk.on_delete AS TEXT) AS on_delete,
       CAST(fk."match" AS TEXT) AS match_type,
       CAST(CASE WHEN upper(m.sql) LIKE '%%DEFERRABLE INITIALLY DEFERRED%%' THEN 1 ELSE 0 END AS TEXT) AS table_sql_deferrable_initially_deferred
FROM sqlite_master AS m
JOIN pragma_foreign_key_list(m.name) AS fk
WHERE m.type = 'table' AND m.name IN (%(tables)s)
ORDER BY m.name, fk."from"
"""),
    ("checks", """
SELECT CAST(m.name AS TEXT) AS table_name,
       CAST(CASE WHEN upper(m.sql) LIKE '%%CHECK%%' THEN 1 ELSE 0 END AS TEXT) AS table_sql_has_check
FROM sqlite_master AS m
WHERE m.type = 'table' AND m.name IN (%(tables)s)
ORDER BY m.name
"""),
]

# ---------------------------------------------------------------------------
# PostgreSQL: information_schema + pg_catalog, restricted to current_schema().
# Schema names are left out of every cell so the dump is schema-independent.
# ---------------------------------------------------------------------------
PG_QUERIES = [
    ("tables", """
SELECT t.table_name::text AS table_name,
       t.table_type::text AS table_type
FROM information_schema.tables AS t
WHERE t.table_schema = current_schema() AND t.table_name IN (%(tables)s)
ORDER BY t.table_name
"""),
    ("columns", """
SELECT c.table_name::text AS table_name,
       c.column_name::text AS column_name,
       c.data_type::text AS data_type,
       format_type(a.atttypid, a.atttypmod)::text AS formatted_type,
       c.character_maximum_length::text AS character_maximum_length,
       c.numeric_precision::text AS numeric_precision,
       c.numeric_scale::text AS numeric_scale,
       c.datetime_precision::text AS datetime_precision,
       c.is_nullable::text AS is_nullable,
       c.column_default::text AS column_default,
       c.is_identity::text AS is_identity,
       c.identity_generation::text AS identity_generation,
       c.identity_start::text AS identity_start,
       c.identity_increment::text AS identity_increment,
       c.identity_minimum::text AS identity_minimum,
       c.identity_maximum::text AS identity_maximum,
       c.identity_cycle::text AS identity_cycle,
       (SELECT s.relname FROM pg_class AS s
         WHERE s.oid = pg_get_serial_sequence(quote_ident(c.table_name), c.column_name)::regclass)::text AS sequence_name,
       (CASE WHEN EXISTS (SELECT 1 FROM pg_index AS i
                           WHERE i.indrelid = a.attrelid AND i.indisprimary AND a.attnum = ANY (i.indkey))
             THEN 'YES' ELSE 'NO' END)::text AS is_primary_key,
       c.collation_name::text AS collation_name
FROM information_schema.columns AS c
JOIN pg_catalog.pg_class AS cl ON cl.relname = c.table_name
JOIN pg_catalog.pg_namespace AS n ON n.oid = cl.relnamespace AND n.nspname = c.table_schema
JOIN pg_catalog.pg_attribute AS a ON a.attrelid = cl.oid AND a.attname = c.column_name
WHERE c.table_schema = current_schema() AND c.table_name IN (%(tables)s)
ORDER BY c.table_name, c.column_name
"""),
    ("column_order", """
SELECT c.table_name::text AS table_name,
       (row_number() OVER (PARTITION BY c.table_name ORDER BY c.ordinal_position) - 1)::text AS position,
       c.column_name::text AS column_name
FROM information_schema.columns AS c
WHERE c.table_schema = current_schema() AND c.table_name IN (%(tables)s)
ORDER BY c.table_name, c.ordinal_position
"""),
    ("indexes", """
SELECT t.relname::text AS table_name,
       ic.relname::text AS index_name,
       (CASE WHEN i.indisunique THEN 1 ELSE 0 END)::text AS is_unique,
       (CASE WHEN i.indisprimary THEN 1 ELSE 0 END)::text AS is_primary,
       (SELECT con.contype FROM pg_catalog.pg_constraint AS con
         WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x'))::text AS constraint_type,
       am.amname::text AS method,
       array_to_string(ARRAY(
           SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
           JOIN pg_catalog.pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
           ORDER BY k.ord), ',')::text AS columns,
       array_to_string(ARRAY(
           SELECT opc.opcname FROM unnest(i.indclass) WITH ORDINALITY AS k(opcoid, ord)
           JOIN pg_catalog.pg_opclass AS opc ON opc.oid = k.opcoid
           ORDER BY k.ord), ',')::text AS opclasses,
       (CASE WHEN i.indpred IS NULL THEN 0 ELSE 1 END)::text AS partial,
       replace(pg_get_indexdef(i.indexrelid), quote_ident(n.nspname) || '.', '')::text AS indexdef
FROM pg_catalog.pg_index AS i
JOIN pg_catalog.pg_class AS t ON t.oid = i.indrelid
JOIN pg_catalog.pg_class AS ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_am AS am ON am.oid = ic.relam
JOIN pg_catalog.pg_namespace AS n ON n.oid = t.relnamespace
WHERE n.nspname = current_schema() AND t.relname IN (%(tables)s)
ORDER BY t.relname, ic.relname
"""),
    ("unique", """
SELECT t.relname::text AS table_name,
       con.conname::text AS constraint_name,
       con.contype::text AS constraint_type,
       array_to_string(ARRAY(
           SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
           JOIN pg_catalog.pg_attribute AS a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
           ORDER BY k.ord), ',')::text AS columns,
       (CASE WHEN con.condeferrable THEN 1 ELSE 0 END)::text AS deferrable,
       (CASE WHEN con.condeferred THEN 1 ELSE 0 END)::text AS initially_deferred,
       pg_get_constraintdef(con.oid)::text AS definition
FROM pg_catalog.pg_constraint AS con
JOIN pg_catalog.pg_class AS t ON t.oid = con.conrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = t.relnamespace
WHERE n.nspname = current_schema() AND t.relname IN (%(tables)s) AND con.contype IN ('p', 'u')
ORDER BY t.relname, con.conname
"""),
    ("foreign_keys", """
SELECT t.relname::text AS table_name,
       con.conname::text AS constraint_name,
       array_to_string(ARRAY(
           SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
           JOIN pg_catalog.pg_attribute AS a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
           ORDER BY k.ord), ',')::text AS columns,
       rt.relname::text AS ref_table,
       array_to_string(ARRAY(
           SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
           JOIN pg_catalog.pg_attribute AS a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
           ORDER BY k.ord), ',')::text AS ref_columns,
       con.confupdtype::text AS on_update,
       con.confdeltype::text AS on_delete,
       con.confmatchtype::text AS match_type,
       (CASE WHEN con.condeferrable THEN 1 ELSE 0 END)::text AS deferrable,
       (CASE WHEN con.condeferred THEN 1 ELSE 0 END)::text AS initially_deferred,
       replace(pg_get_constraintdef(con.oid), quote_ident(n.nspname) || '.', '')::text AS definition
FROM pg_catalog.pg_constraint AS con
JOIN pg_catalog.pg_class AS t ON t.oid = con.conrelid
JOIN pg_catalog.pg_class AS rt ON rt.oid = con.confrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = t.relnamespace
WHERE n.nspname = current_schema() AND t.relname IN (%(tables)s) AND con.contype = 'f'
ORDER BY t.relname, con.conname
"""),
    ("checks", """
SELECT t.relname::text AS table_name,
       con.conname::text AS constraint_name,
       pg_get_constraintdef(con.oid)::text AS definition
FROM pg_catalog.pg_constraint AS con
JOIN pg_catalog.pg_class AS t ON t.oid = con.conrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = t.relnamespace
WHERE n.nspname = current_schema() AND t.relname IN (%(tables)s) AND con.contype = 'c'
ORDER BY t.relname, con.conname
"""),
    ("sequences", """
SELECT t.relname::text AS table_name,
       a.attname::text AS column_name,
       sc.relname::text AS sequence_name,
       d.deptype::text AS dependency_type,
       format_type(sq.seqtypid, NULL)::text AS data_type,
       sq.seqstart::text AS start_value,
       sq.seqmin::text AS minimum_value,
       sq.seqmax::text AS maximum_value,
       sq.seqincrement::text AS increment,
       sq.seqcache::text AS cache_size,
       (CASE WHEN sq.seqcycle THEN 1 ELSE 0 END)::text AS cycle
FROM pg_catalog.pg_sequence AS sq
JOIN pg_catalog.pg_class AS sc ON sc.oid = sq.seqrelid
JOIN pg_catalog.pg_depend AS d ON d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = sq.seqrelid
     AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i')
JOIN pg_catalog.pg_class AS t ON t.oid = d.refobjid
JOIN pg_catalog.pg_attribute AS a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
JOIN pg_catalog.pg_namespace AS n ON n.oid = t.relnamespace
WHERE n.nspname = current_schema() AND t.relname IN (%(tables)s)
ORDER BY t.relname, a.attname
"""),
]

# Rows Django's post_migrate handlers insert (content types, permissions).
# Not schema: recorded under "data" for optional seeding checks.
DATA_QUERIES = [
    ("content_types", """
SELECT CAST(ct.app_label AS TEXT) AS app_label,
       CAST(ct.model AS TEXT) AS model
FROM django_content_type AS ct
ORDER BY ct.app_label, ct.model
"""),
    ("permissions", """
SELECT CAST(ct.app_label AS TEXT) AS app_label,
       CAST(ct.model AS TEXT) AS model,
       CAST(p.codename AS TEXT) AS codename,
       CAST(p.name AS TEXT) AS name
FROM auth_permission AS p
JOIN django_content_type AS ct ON ct.id = p.content_type_id
ORDER BY ct.app_label, ct.model, p.codename
"""),
]


def render(sql):
    # Python %-formatting: '%%' in the templates becomes '%' in the stored SQL.
    return (sql % {"tables": TABLE_LIST}).strip()


def run_rows(cursor, sql):
    cursor.execute(sql)
    cols = [d[0] for d in cursor.description]
    rows = []
    for row in cursor.fetchall():
        for cell in row:
            if cell is not None and not isinstance(cell, str):
                raise SystemExit("query returned a non-text cell %r:\n%s" % (cell, sql))
        rows.append(list(row))
    return cols, rows


NULL = "\x00NULL\x00"


def cli_rows(kind, target, sql):
    """Run sql through the sqlite3 / psql command-line client; return rows."""
    if kind == "sqlite":
        cmd = ["sqlite3", "-bail", "-batch", "-ascii", "-nullvalue", NULL.strip("\x00"), target]
        out = subprocess.run(cmd, input=sql + ";\n", capture_output=True, text=True)
        fs, rs = "\x1f", "\x1e"
    else:
        cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-A", "-t", "-F", "\x1f",
               "-R", "\x1e", "-P", "null=" + NULL.strip("\x00"), "-d", target, "-c", sql]
        out = subprocess.run(cmd, capture_output=True, text=True)
        fs, rs = "\x1f", "\x1e"
    if out.returncode != 0:
        raise SystemExit("%s CLI failed (%s):\n%s\n%s" % (kind, out.returncode, out.stderr, sql))
    text = out.stdout
    if text.endswith("\n"):
        text = text[:-1]
    if text.endswith(rs):
        text = text[:-1]
    if not text:
        return []
    marker = NULL.strip("\x00")
    return [[None if c == marker else c for c in r.split(fs)] for r in text.split(rs)]


def sqlmigrate_all(call_command):
    from django.db.migrations.loader import MigrationLoader
    from django.db import connection

    loader = MigrationLoader(connection)
    out = {}
    for app in ("contenttypes", "auth", "sessions"):
        names = sorted(name for (a, name) in loader.disk_migrations if a == app)
        for name in names:
            buf = io.StringIO()
            call_command("sqlmigrate", app, name, stdout=buf, stderr=buf, no_color=True)
            out["%s.%s" % (app, name)] = buf.getvalue()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("backend", choices=["sqlite", "postgres"])
    ap.add_argument("args", nargs="*", help="postgres: URL [OUT]; sqlite: [OUT]")
    ap.add_argument("--no-verify-cli", action="store_true")
    ap.add_argument("--default-auto-field")
    opts = ap.parse_args()

    fixtures = os.path.join(os.path.dirname(os.path.dirname(HERE)), "Tests", "Fixtures", "django")
    tmpdir = None
    pg_admin_url = None
    pg_dbname = None
    if opts.backend == "sqlite":
        if len(opts.args) > 1:
            ap.error("sqlite takes at most one argument (OUT)")
        out_path = opts.args[0] if opts.args else os.path.join(fixtures, "schema-sqlite.json")
        tmpdir = tempfile.mkdtemp(prefix="gatehouse-schema-")
        db_path = os.path.join(tmpdir, "django.sqlite3")
        os.environ["ORACLE_DB_URL"] = "sqlite://" + db_path
        cli_target = db_path
    else:
        if not opts.args or len(opts.args) > 2:
            ap.error("postgres needs URL [OUT]")
        pg_admin_url = opts.args[0]
        out_path = opts.args[1] if len(opts.args) > 1 else os.path.join(fixtures, "schema-postgresql.json")
        pg_dbname = "gatehouse_schema_dump_%d" % os.getpid()
        parts = urlsplit(pg_admin_url)
        db_url = urlunsplit((parts.scheme, parts.netloc, "/" + pg_dbname, parts.query, ""))
        os.environ["ORACLE_DB_URL"] = db_url
        cli_target = urlunsplit(("postgresql", parts.netloc, "/" + pg_dbname, parts.query, ""))
        import psycopg

        with psycopg.connect(urlunsplit(("postgresql",) + tuple(parts[1:])), autocommit=True) as c:
            c.execute('DROP DATABASE IF EXISTS "%s"' % pg_dbname)
            c.execute('CREATE DATABASE "%s"' % pg_dbname)

    try:
        import oracle

        if opts.default_auto_field:
            os.environ["ORACLE_DEFAULT_AUTO_FIELD"] = opts.default_auto_field
        django = oracle.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0, interactive=False)

        queries = SQLITE_QUERIES if opts.backend == "sqlite" else PG_QUERIES
        result_queries = []
        with connection.cursor() as cur:
            raw = cur.cursor if hasattr(cur, "cursor") else cur
            for name, tmpl in queries:
                sql = render(tmpl)
                cols, rows = run_rows(raw, sql)
                if not opts.no_verify_cli:
                    cli = cli_rows(opts.backend, cli_target, sql)
                    if cli != rows:
                        raise SystemExit("CLI rows differ for %s:\n%r\n%r" % (name, cli, rows))
                result_queries.append({"name": name, "columns": cols, "sql": sql, "rows": rows})
            data = []
            for name, tmpl in DATA_QUERIES:
                sql = render(tmpl)
                cols, rows = run_rows(raw, sql)
                data.append({"name": name, "columns": cols, "sql": sql, "rows": rows})
            cur.execute("SELECT app, name FROM django_migrations ORDER BY id")
            applied = [[a, n] for a, n in cur.fetchall()]

        # Every query must touch exactly the 8 tables (where it lists tables).
        tables_rows = [r[0] for r in result_queries[0]["rows"]]
        if tables_rows != sorted(TABLES):
            raise SystemExit("unexpected tables: %r" % tables_rows)

        final_ddl = []
        if opts.backend == "sqlite":
            with connection.cursor() as cur:
                cur.execute(
                    "SELECT sql FROM sqlite_master WHERE tbl_name IN (%s) AND sql IS NOT NULL "
                    "ORDER BY tbl_name, type DESC, name" % TABLE_LIST
                )
                final_ddl = [r[0] + ";" for r in cur.fetchall()]
            server_version = "SQLite " + connection.Database.sqlite_version
        else:
            with connection.cursor() as cur:
                cur.execute("SHOW server_version")
                server_version = "PostgreSQL " + cur.fetchone()[0]
            if shutil.which("pg_dump"):
                cmd = ["pg_dump", "--schema-only", "--no-owner", "--no-privileges", "-d", cli_target]
                for t in TABLES:
                    cmd += ["-t", t]
                dump = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
                final_ddl = [
                    line for line in dump.splitlines()
                    if line and not line.startswith(("--", "SET ", "\\"))
                    and not line.startswith("SELECT pg_catalog.set_config")
                ]

        data_out = {
            "django_version": django.get_version(),
            "generator": "scripts/django/dump_schema.py",
            "backend": opts.backend,
            "server_version": server_version,
            "default_auto_field": settings.DEFAULT_AUTO_FIELD.rsplit(".", 1)[-1],
            "tables": TABLES,
            "queries": result_queries,
            "data": data,
            "applied_migrations": applied,
            "reference_ddl": {
                "note": "for human reading only; not compared",
                "final_schema": final_ddl,
                "sqlmigrate": sqlmigrate_all(call_command),
            },
        }
        connection.close()
    finally:
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)
        if pg_dbname:
            import psycopg

            parts = urlsplit(pg_admin_url)
            with psycopg.connect(urlunsplit(("postgresql",) + tuple(parts[1:])), autocommit=True) as c:
                c.execute('DROP DATABASE IF EXISTS "%s"' % pg_dbname)

    os.makedirs(os.path.dirname(os.path.abspath(out_path)), exist_ok=True)
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(data_out, f, ensure_ascii=False, indent=1)
        f.write("\n")
    counts = ", ".join("%s=%d" % (q["name"], len(q["rows"])) for q in result_queries)
    print("wrote %s (%s): %s" % (out_path, server_version, counts), file=sys.stderr)


if __name__ == "__main__":
    main()
