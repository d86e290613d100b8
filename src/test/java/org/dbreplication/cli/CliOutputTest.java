package org.dbreplication.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dbreplication.CliRunner;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What the command line prints: whole help texts. */
class CliOutputTest {

    @Test
    void helpListsEveryCommandWithAWholeDescription() {
        CliRunner.Result help = CliRunner.run(Map.of(), "--help");

        Map<String, String> commands = commandsOf(help.out());
        assertThat(commands).containsOnlyKeys("run", "schedule", "web", "report", "export-schema", "demo");
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
