package org.dbreplication.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every variable the tool reads is documented in sample.env and in the README's table of variables, and neither
 * documents a variable that does not exist. The variables of the settings are their declarations
 * ({@link Settings#VARIABLES}), and reading the settings asks for those and no other; sample.env shows each
 * declared default. The few variables read elsewhere are listed with the file that reads them, which this test
 * checks too.
 */
class VariablesDocumentedTest {

    /** Read outside Settings: the name → a file that reads it. */
    static final Map<String, String> READ_ELSEWHERE = Map.of(
            "LOG_FORMAT", "src/main/resources/logback.xml",
            "LOG_LEVEL", "src/main/resources/logback.xml",
            "JAVA_OPTS", "bin/replication",
            "REPLICATION_JAR", "bin/replication",
            "DEMO_DATABASE_URL", "src/main/java/org/dbreplication/cli/DemoCommand.java",
            "TEST_DATABASE_URL", "src/test/java/org/dbreplication/TestPostgres.java");
    /** Of those, the ones the README's table lists (the others are explained where they are used). */
    static final SortedSet<String> ELSEWHERE_IN_TABLE = new TreeSet<>(java.util.List.of("LOG_FORMAT", "LOG_LEVEL"));

    static SortedSet<String> settingsVariables() {
        return new TreeSet<>(Settings.variableNames());
    }

    @Test
    void theSettingsReadTheirDeclaredVariablesAndNoOther() {
        assertThat(Settings.variableNames()).as("declared once").doesNotHaveDuplicates();
        SortedSet<String> read = Settings.variablesRead(Map.of());
        // NOTIFICATION_URLS is read only when NOTIFICATIONS is not set (its former name)
        read.addAll(Settings.variablesRead(Map.of("NOTIFICATIONS", "[]")));

        assertThat(read).isEqualTo(settingsVariables());
    }

    @Test
    void sampleEnvShowsEachDeclaredDefault() throws IOException {
        Map<String, String> shown = new java.util.HashMap<>();
        Matcher line = Pattern.compile("(?m)^#?([A-Z][A-Z0-9_]{2,})=(.*)$").matcher(Files.readString(Path.of("sample.env")));
        while (line.find()) {
            shown.put(line.group(1), line.group(2).strip());
        }
        for (Variable<?> variable : Settings.VARIABLES) {
            if (variable.defaultValue() != null) {
                assertThat(shown.get(variable.name())).as("sample.env's value of " + variable.name())
                        .isEqualTo(variable.defaultValue());
            }
            assertThat(variable.description()).as("description of " + variable.name()).isNotBlank().doesNotContain("\n");
        }
    }

    @Test
    void sampleEnvDocumentsEveryVariableAndNoOther() throws IOException {
        SortedSet<String> documented = names(Files.readString(Path.of("sample.env")),
                Pattern.compile("(?m)^#?([A-Z][A-Z0-9_]{2,})="));
        SortedSet<String> expected = settingsVariables();
        expected.addAll(READ_ELSEWHERE.keySet());

        assertThat(documented).as("variables of sample.env").isEqualTo(expected);
    }

    @Test
    void theReadmesTableDocumentsEveryVariableOfTheSettingsAndNoOther() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("| variable | meaning | default |");
        assertThat(start).as("the README's table of variables").isPositive();
        String table = readme.substring(start, readme.indexOf("\n\n", start));
        // the first cell of each row: `NAME`, `OTHER` (or `NAME` (or `FORMER_NAME`))
        SortedSet<String> documented = new TreeSet<>();
        for (String row : table.split("\n")) {
            String[] cells = row.split("\\|");
            if (cells.length > 1) {
                documented.addAll(names(cells[1], Pattern.compile("`([A-Z][A-Z0-9_]{2,})`")));
            }
        }
        SortedSet<String> expected = settingsVariables();
        expected.addAll(ELSEWHERE_IN_TABLE);

        assertThat(documented).as("variables of the README's table").isEqualTo(expected);
        for (String name : READ_ELSEWHERE.keySet()) {
            assertThat(readme).as("the README explains " + name).contains(name);
        }
    }

    @Test
    void theVariablesReadElsewhereAreReadWhereThisTestSays() throws IOException {
        for (Map.Entry<String, String> variable : READ_ELSEWHERE.entrySet()) {
            assertThat(Files.readString(Path.of(variable.getValue()))).as(variable.getValue()).contains(variable.getKey());
        }
    }

    private static SortedSet<String> names(String text, Pattern pattern) {
        SortedSet<String> names = new TreeSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
