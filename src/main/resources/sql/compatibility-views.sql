-- Old names kept visible for analytics queries written before a table was renamed. Run with the search path set to
-- the schema the copy's public tables are in (the live public schema, or the new copy's when it is built aside).
DO $compatibility$
BEGIN
    IF to_regclass('"organization-learners"') IS NOT NULL AND to_regclass('"schooling-registrations"') IS NULL THEN
        CREATE VIEW "schooling-registrations" AS SELECT * FROM "organization-learners";
    END IF;
END
$compatibility$;
