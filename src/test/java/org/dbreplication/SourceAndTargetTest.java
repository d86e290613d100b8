package org.dbreplication;

import java.util.HashMap;
import java.util.Map;
import org.dbreplication.pg.DatabaseUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test with a source and a target database of its own, created before each test and dropped after it (names
 * from {@link #prefix()}), and the variables that point the tool at them.
 */
public abstract class SourceAndTargetTest {

    protected DatabaseUrl source;
    protected DatabaseUrl target;

    /** The start of the databases' names, e.g. "stop": stop_source…, stop_target…. */
    protected abstract String prefix();

    @BeforeEach
    void createSourceAndTarget() {
        source = TestPostgres.createDatabase(prefix() + "_source", null);
        target = TestPostgres.createDatabase(prefix() + "_target", null);
    }

    @AfterEach
    void dropSourceAndTarget() {
        TestPostgres.dropDatabase(source);
        TestPostgres.dropDatabase(target);
    }

    /** SOURCE_DATABASE_URL and DATABASE_URL, in a map the test may add to. */
    protected Map<String, String> sourceAndTarget() {
        Map<String, String> variables = new HashMap<>();
        variables.put("SOURCE_DATABASE_URL", source.toString());
        variables.put("DATABASE_URL", target.toString());
        return variables;
    }
}
