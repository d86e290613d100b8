-- Old names kept visible for analytics queries written before a table was renamed.
DO $compatibility$
BEGIN
    IF to_regclass('public."organization-learners"') IS NOT NULL
       AND to_regclass('public."schooling-registrations"') IS NULL THEN
        CREATE VIEW public."schooling-registrations" AS SELECT * FROM public."organization-learners";
    END IF;
END
$compatibility$;
