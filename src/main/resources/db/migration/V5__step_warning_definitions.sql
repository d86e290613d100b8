-- The statements that create an object left out of the copy, for an operator to replay by hand: kept for an analysts'
-- view that the full step could not create again over the new copy (it used a column or a table the source dropped),
-- so that nothing an analyst built is lost without a trace. Null for the other warnings.
ALTER TABLE step_warnings ADD COLUMN definition text;
