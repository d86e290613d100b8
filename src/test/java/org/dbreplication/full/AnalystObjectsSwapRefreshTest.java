package org.dbreplication.full;

import java.util.Map;

/**
 * The same story as {@link AnalystObjectsFullRefreshTest} with FULL_REFRESH=swap: the analysts' views, materialized
 * view, table and grants survive two refreshes and read the new data, created again in the switch transaction; a view
 * over a column the source dropped is reported with its definition and the step succeeds.
 */
class AnalystObjectsSwapRefreshTest extends AnalystObjectsFullRefreshTest {

    @Override
    Map<String, String> variables() {
        Map<String, String> variables = super.variables();
        variables.put("FULL_REFRESH", "swap");
        return variables;
    }
}
