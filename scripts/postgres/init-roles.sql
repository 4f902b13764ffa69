-- The database roles of a production start (docker-compose.yml runs this once,
-- when the PostgreSQL volume is created). See the README, "Database roles".
--   stprogram      owns the tables and runs the migrations; not a superuser
--   stprogram_app  what web, worker and beat connect as: owns nothing, no BYPASSRLS
-- Change the passwords for anything but a local trial.
CREATE ROLE stprogram LOGIN PASSWORD 'stprogram' NOSUPERUSER NOBYPASSRLS NOCREATEDB;
CREATE ROLE stprogram_app LOGIN PASSWORD 'stprogram_app' NOSUPERUSER NOBYPASSRLS NOCREATEDB;
CREATE DATABASE stprogram OWNER stprogram;
REVOKE ALL ON DATABASE stprogram FROM PUBLIC;
GRANT CONNECT ON DATABASE stprogram TO stprogram_app;
