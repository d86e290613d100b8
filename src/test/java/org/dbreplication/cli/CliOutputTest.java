package org.dbreplication.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.dbreplication.CliRunner;
import org.dbreplication.SeparateProcess;
import org.dbreplication.TestPostgres;
import org.dbreplication.pg.DatabaseUrl;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What the command line prints, whatever the terminal: whole help texts, and UTF-8 under any locale. */
class CliOutputTest {

    /** The three bytes of "→" in UTF-8: what a C locale used to turn into "?". */
    static final byte[] ARROW = {(byte) 0xE2, (byte) 0x86, (byte) 0x92};

    @Test
    void helpListsEveryCommandWithAWholeDescription() {
        CliRunner.Result help = CliRunner.run(Map.of(), "--help");

        Map<String, String> commands = commandsOf(help.out());
        assertThat(commands).containsOnlyKeys("run", "schedule", "web", "report", "export-schema", "demo", "variables");
        commands.forEach((name, description) -> assertThat(description).as("description of %s in --help", name)
                .endsWith(".").doesNotContain("  "));
        assertThat(help.out()).contains("Exit codes: 0 success, 1 a step failed,");
    }

    @Test
    void everyParagraphOfEveryCommandsHelpIsWhole() {
        CommandLine root = new CommandLine(new Cli(Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())));
        List<CommandLine> all = new java.util.ArrayList<>(root.getSubcommands().values());
        all.add(root);
        for (CommandLine command : all) {
            CommandLine.Model.UsageMessageSpec usage = command.getCommandSpec().usageMessage();
            List<String> paragraphs = new java.util.ArrayList<>(List.of(usage.description()));
            paragraphs.addAll(List.of(usage.footer()));
            paragraphs.stream().filter(p -> !p.isBlank()).forEach(paragraph -> assertThat(paragraph)
                    .as("a paragraph of %s --help", command.getCommandName()).endsWith("."));
        }
    }

    @Test
    void reportAndLogWriteUtf8UnderTheCLocale() throws Exception {
        DatabaseUrl target = TestPostgres.createDatabase("cli_utf8", null);
        try {
            Map<String, String> variables = new HashMap<>(Map.of("DATABASE_URL", target.toString(), "LC_ALL", "C"));
            // learning-content → notification: both have nothing to do here, the plan's arrow is what is looked at
            Path runLog = Files.createTempFile("cli-utf8-run", ".log");
            assertThat(exitCode(runLog, variables, "run", "--from", "learning-content")).as(SeparateProcess.output(runLog)).isZero();
            assertThat(Files.readAllBytes(runLog)).as(SeparateProcess.output(runLog)).containsSequence(utf8("(cli): learning-content → notification"));

            Path reportLog = Files.createTempFile("cli-utf8-report", ".log");
            assertThat(exitCode(reportLog, variables, "report")).as(SeparateProcess.output(reportLog)).isZero();
            byte[] report = Files.readAllBytes(reportLog);
            assertThat(report).containsSequence(utf8("Run #1 (cli): learning-content")).containsSequence(ARROW);
            assertThat(new String(report, StandardCharsets.UTF_8)).contains("learning-content → notification")
                    .doesNotContain("learning-content ? notification");
        } finally {
            TestPostgres.dropDatabase(target);
        }
    }

    /** Runs the command line in a JVM of its own under the C locale (no LANG, LANGUAGE nor LC_* but LC_ALL=C). */
    private static int exitCode(Path log, Map<String, String> variables, String... args) throws Exception {
        Process process = SeparateProcess.start(log, variables, List.of("LANG", "LANGUAGE", "LC_"), args);
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("the process ended").isTrue();
        return process.exitValue();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The "Commands:" section of --help: each command with its description, its wrapped lines joined. */
    static Map<String, String> commandsOf(String help) {
        int start = help.indexOf("Commands:\n");
        assertThat(start).as("a Commands: section in:%n%s", help).isNotNegative();
        String section = help.substring(start + "Commands:\n".length());
        int end = section.indexOf("\n\n");
        Map<String, String> commands = new LinkedHashMap<>();
        String current = null;
        for (String line : (end < 0 ? section : section.substring(0, end)).lines().toList()) {
            if (line.matches(" {2}\\S.*")) {
                String[] nameAndText = line.strip().split("\\s+", 2);
                current = nameAndText[0];
                commands.put(current, nameAndText.length > 1 ? nameAndText[1] : "");
            } else if (current != null) {
                commands.put(current, commands.get(current) + " " + line.strip());
            }
        }
        return commands;
    }
}
