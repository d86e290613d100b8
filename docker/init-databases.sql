-- Local development: a source database (production stand-in) and a target database (the analytics copy),
-- each with its own ordinary user, as in sample.env.
CREATE USER source_user WITH PASSWORD 'source_password';
CREATE USER target_user WITH PASSWORD 'target_password';
CREATE DATABASE source_database OWNER source_user;
CREATE DATABASE target_database OWNER target_user;
