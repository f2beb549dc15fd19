-- The two PostgreSQL roles of the case system, their database and their grants.
-- Run by a superuser (the cluster's administrator), as often as you like: every
-- statement is idempotent, and concurrent runs wait for each other.
--
--   NANKAI_OWNER_PASSWORD=... NANKAI_APP_PASSWORD=... \
--   psql -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1 \
--        -v owner=nankai_owner -v app=nankai_app -v db=nankai -f deploy/postgres-roles.sql
--
-- owner  owns the database and every table in it; `manage.py migrate --database
--        owner` runs as it (DATABASE_OWNER_URL). Not a superuser. Its password is
--        kept where migrations run, not on the application servers.
-- app    the runtime role the application, the workers and beat connect as
--        (DATABASE_URL). It owns nothing, so it cannot TRUNCATE, ALTER or disable
--        a trigger; it is no superuser, so it cannot set session_replication_role;
--        on the history table it may only SELECT and INSERT.
--
-- Passwords come from the environment (unset: the role gets none, for peer,
-- certificate or trusted local authentication). An existing database whose
-- tables belong to another role (an installation from before this script) has
-- them handed to the owner. `migrate` grants the runtime role the same again
-- after every migration (cases/dbroles.py), so new tables are covered too.
-- docs/history.md explains the roles and what each protects against.

\if :{?owner} \else \set owner nankai_owner \endif
\if :{?app} \else \set app nankai_app \endif
\if :{?db} \else \set db nankai \endif
\getenv owner_password NANKAI_OWNER_PASSWORD
\getenv app_password NANKAI_APP_PASSWORD
\if :{?owner_password} \else \set owner_password '' \endif
\if :{?app_password} \else \set app_password '' \endif
\set ON_ERROR_STOP on

-- one run at a time across the cluster (roles are cluster-wide)
SELECT pg_advisory_lock(hashtext('nankai deploy/postgres-roles.sql')) AS locked \gset

-- the roles
SELECT format('CREATE ROLE %I LOGIN', :'owner') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I LOGIN', :'app') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app') \gexec
ALTER ROLE :"owner" LOGIN NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS;
ALTER ROLE :"app" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT;
SELECT format('REVOKE %I FROM %I', :'owner', :'app')
  FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles a ON a.oid = m.member
 WHERE r.rolname = :'owner' AND a.rolname = :'app' \gexec
SELECT format('ALTER ROLE %I PASSWORD %L', :'owner', :'owner_password') WHERE :'owner_password' <> '' \gexec
SELECT format('ALTER ROLE %I PASSWORD %L', :'app', :'app_password') WHERE :'app_password' <> '' \gexec

-- the database, owned by the owner
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'db', :'owner', 'UTF8')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
ALTER DATABASE :"db" OWNER TO :"owner";
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"app";

\connect :"db"
SELECT pg_advisory_lock(hashtext('nankai deploy/postgres-roles.sql')) AS locked \gset

-- the schema: only the owner creates in it
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO :"owner";
GRANT USAGE ON SCHEMA public TO :"app";

-- tables, sequences and functions created by another role before: handed to the owner
SELECT format('ALTER TABLE public.%I OWNER TO %I', tablename, :'owner')
  FROM pg_tables WHERE schemaname = 'public' AND tableowner <> :'owner' \gexec
SELECT format('ALTER SEQUENCE public.%I OWNER TO %I', sequencename, :'owner')
  FROM pg_sequences WHERE schemaname = 'public' AND sequenceowner <> :'owner' \gexec
SELECT format('ALTER FUNCTION %s OWNER TO %I', p.oid::regprocedure, :'owner')
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> :'owner' \gexec

-- what the runtime role may do: on tables there now, and on those the owner creates later
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO :"app";
-- the history: read and append only (the table exists after the first migrate, which revokes the same)
SELECT format('REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON public.cases_casehistory FROM %I', :'app')
 WHERE to_regclass('public.cases_casehistory') IS NOT NULL \gexec
