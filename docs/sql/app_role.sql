-- Privileges of the role the web and Celery processes connect as (README, "Database roles").
-- Run it as the role that owns the tables (the one that runs `manage.py migrate`), after every
-- migrate, so tables added by new migrations are covered:
--   psql "$OWNER_DATABASE_URL" -v app_role=skinspire_app -f docs/sql/app_role.sql
-- The application role owns nothing, so it cannot ALTER TABLE ... DISABLE TRIGGER, TRUNCATE,
-- or drop the ledger's triggers and constraints.

REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app_role";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_role";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app_role";

-- The journal is append-only: read and add, never change or remove.
REVOKE UPDATE, DELETE, TRUNCATE ON ledger_journalentry, ledger_journalline FROM :"app_role";
-- Accounts are added and renamed; hospital, code and type are fixed, and none is deleted.
REVOKE UPDATE, DELETE, TRUNCATE ON ledger_account FROM :"app_role";
GRANT UPDATE (name) ON ledger_account TO :"app_role";
-- ledger_commit_check (one row per transaction until its commit-time balance check runs) keeps
-- the grants above: the triggers run as the application role and insert and delete its rows.
