-- Every object of the replicated schemas ($1) that the next restore creates again, with the DROP keyword of its
-- kind, in the order the drops run: views first, then tables, sequences, routines, then the other kinds. Left out:
-- members of extensions (the extension owns them), objects that exist only as part of another one (array types,
-- a table's row type, identity sequences: dependency type 'i'). Partitions, and a range type's multirange type and
-- constructors, are marked (dropped with their parent, moved on their own). Each row is identified like an archive entry (pg_identify_object), so that the survivors of kept tables
-- can be told apart by the caller. The same list, for a schema of the new copy, gives what is moved into the live
-- schema at the switch.
WITH schemas AS (
    SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = ANY(?::text[])
),
candidates(rank, keyword, classid, objid) AS (
    SELECT CASE WHEN c.relkind IN ('v', 'm') THEN 1 WHEN c.relkind = 'S' THEN 3 ELSE 2 END,
           CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE'
                          WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
           'pg_catalog.pg_class'::regclass::oid, c.oid
    FROM pg_catalog.pg_class c
    WHERE c.relnamespace IN (SELECT oid FROM schemas) AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
    UNION ALL
    SELECT 4, CASE p.prokind WHEN 'a' THEN 'AGGREGATE' WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END,
           'pg_catalog.pg_proc'::regclass::oid, p.oid
    FROM pg_catalog.pg_proc p WHERE p.pronamespace IN (SELECT oid FROM schemas)
    UNION ALL
    SELECT 5, CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, 'pg_catalog.pg_type'::regclass::oid, t.oid
    FROM pg_catalog.pg_type t
    WHERE t.typnamespace IN (SELECT oid FROM schemas) AND t.typtype IN ('b', 'e', 'd', 'r', 'm', 'c')
      AND (t.typtype <> 'c' OR EXISTS (SELECT 1 FROM pg_catalog.pg_class r WHERE r.oid = t.typrelid AND r.relkind = 'c'))
      AND (t.typtype <> 'b' OR t.typelem = 0 OR t.typsubscript <> 'pg_catalog.array_subscript_handler'::regproc)
    UNION ALL
    SELECT 6, 'OPERATOR', 'pg_catalog.pg_operator'::regclass::oid, o.oid
    FROM pg_catalog.pg_operator o WHERE o.oprnamespace IN (SELECT oid FROM schemas)
    UNION ALL
    SELECT 6, 'OPERATOR CLASS', 'pg_catalog.pg_opclass'::regclass::oid, o.oid
    FROM pg_catalog.pg_opclass o WHERE o.opcnamespace IN (SELECT oid FROM schemas)
    UNION ALL
    SELECT 6, 'OPERATOR FAMILY', 'pg_catalog.pg_opfamily'::regclass::oid, o.oid
    FROM pg_catalog.pg_opfamily o WHERE o.opfnamespace IN (SELECT oid FROM schemas)
    UNION ALL
    SELECT 7, 'TEXT SEARCH CONFIGURATION', 'pg_catalog.pg_ts_config'::regclass::oid, x.oid
    FROM pg_catalog.pg_ts_config x WHERE x.cfgnamespace IN (SELECT oid FROM schemas)
    UNION ALL
    SELECT 8, 'TEXT SEARCH DICTIONARY', 'pg_catalog.pg_ts_dict'::regclass::oid, x.oid
    FROM pg_catalog.pg_ts_dict x WHERE x.dictnamespace IN (SELECT oid FROM schemas)
    UNION ALL
    SELECT 9, 'TEXT SEARCH PARSER', 'pg_catalog.pg_ts_parser'::regclass::oid, x.oid
    FROM pg_catalog.pg_ts_parser x WHERE x.prsnamespace IN (SELECT oid FROM schemas)
    UNION ALL
    SELECT 9, 'TEXT SEARCH TEMPLATE', 'pg_catalog.pg_ts_template'::regclass::oid, x.oid
    FROM pg_catalog.pg_ts_template x WHERE x.tmplnamespace IN (SELECT oid FROM schemas)
    UNION ALL
    SELECT 10, 'COLLATION', 'pg_catalog.pg_collation'::regclass::oid, x.oid
    FROM pg_catalog.pg_collation x WHERE x.collnamespace IN (SELECT oid FROM schemas)
    UNION ALL
    SELECT 10, 'CONVERSION', 'pg_catalog.pg_conversion'::regclass::oid, x.oid
    FROM pg_catalog.pg_conversion x WHERE x.connamespace IN (SELECT oid FROM schemas)
    UNION ALL
    SELECT 10, 'STATISTICS', 'pg_catalog.pg_statistic_ext'::regclass::oid, x.oid
    FROM pg_catalog.pg_statistic_ext x WHERE x.stxnamespace IN (SELECT oid FROM schemas)
)
SELECT c.keyword, c.classid, c.objid, o.schema, o.identity,
       -- a serial's sequence belongs to its column: it moves with its table, never on its own
       c.keyword = 'SEQUENCE' AND EXISTS (SELECT 1 FROM pg_catalog.pg_depend a WHERE a.classid = c.classid
               AND a.objid = c.objid AND a.deptype = 'a' AND a.refclassid = 'pg_catalog.pg_class'::regclass) AS owned,
       -- a partition goes with its partitioned table when dropped, a range type's multirange type and constructor
       -- functions go with it (dropping them alone is refused, even with CASCADE): each is moved on its own
       (c.classid = 'pg_catalog.pg_class'::regclass
           AND (SELECT r.relispartition FROM pg_catalog.pg_class r WHERE r.oid = c.objid))
       OR EXISTS (SELECT 1 FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_type r ON r.oid = d.refobjid
                  WHERE d.classid = c.classid AND d.objid = c.objid AND d.deptype = 'i'
                    AND d.refclassid = 'pg_catalog.pg_type'::regclass AND r.typtype IN ('r', 'm')) AS with_parent,
       -- a range type, its multirange type or one of their constructor functions (owned by the bootstrap
       -- superuser, they cannot be moved by the type's owner: the swap leaves range types in the live schema)
       (c.classid = 'pg_catalog.pg_type'::regclass
           AND (SELECT t.typtype FROM pg_catalog.pg_type t WHERE t.oid = c.objid) IN ('r', 'm'))
       OR EXISTS (SELECT 1 FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_type r ON r.oid = d.refobjid
                  WHERE d.classid = c.classid AND d.objid = c.objid AND d.deptype = 'i'
                    AND d.refclassid = 'pg_catalog.pg_type'::regclass AND r.typtype IN ('r', 'm')) AS range_part
FROM candidates c
CROSS JOIN LATERAL pg_catalog.pg_identify_object(c.classid, c.objid, 0) o
WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                  WHERE d.classid = c.classid AND d.objid = c.objid AND d.deptype IN ('e', 'i')
                    -- a partitioned table depends internally on its own partition key columns: not part of another
                    AND NOT (d.refclassid = c.classid AND d.refobjid = c.objid)
                    AND NOT (d.deptype = 'i' AND (SELECT 1 FROM pg_catalog.pg_type r WHERE r.oid = d.refobjid
                                                 AND d.refclassid = 'pg_catalog.pg_type'::regclass
                                                 AND r.typtype IN ('r', 'm')) IS NOT NULL))
ORDER BY c.rank, o.identity
