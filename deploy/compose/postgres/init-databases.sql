-- Runs once, on the first start of the compose PostgreSQL (empty data volume).
-- One database per service: each service owns its data and its Alembic migrations.
CREATE DATABASE dvc_intake;
CREATE DATABASE dvc_workflow;
CREATE DATABASE dvc_payments;
CREATE DATABASE dvc_notify;
CREATE DATABASE dvc_sync_national;
CREATE DATABASE dvc_qa;
CREATE DATABASE dvc_identity;
CREATE DATABASE dvc_event_log;
CREATE DATABASE dvc_portal;
