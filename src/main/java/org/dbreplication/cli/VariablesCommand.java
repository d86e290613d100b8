package org.dbreplication.cli;

import java.util.concurrent.Callable;
import org.dbreplication.config.ConfigException;
import org.dbreplication.config.Settings;
import org.dbreplication.config.Variable;
import picocli.CommandLine.Command;

/**
 * {@code variables}: every variable of the settings with whether it is set here (never its value: some are
 * secrets), its default and its description; then the settings are checked as every command that uses the journal
 * checks them (DATABASE_URL required); what only one step needs, such as SOURCE_DATABASE_URL, is checked when it runs.
 */
@Command(name = "variables", mixinStandardHelpOptions = true,
        description = {"Lists every variable with its default, whether it is set here and what it does, then checks them.",
                "Values are never printed. Exit code 2 names the first variable at fault (DATABASE_URL is required)."})
class VariablesCommand implements Callable<Integer> {

    @picocli.CommandLine.ParentCommand
    Cli cli;

    @Override
    public Integer call() {
        int nameWidth = Settings.variableNames().stream().mapToInt(String::length).max().orElse(0);
        java.util.List<String> states = Settings.VARIABLES.stream().map(this::state).toList();
        int stateWidth = states.stream().mapToInt(String::length).max().orElse(0);
        for (int i = 0; i < states.size(); i++) {
            Variable<?> variable = Settings.VARIABLES.get(i);
            cli.out.printf("%-" + nameWidth + "s  %-" + stateWidth + "s  %s%n", variable.name(), states.get(i),
                    variable.description());
        }
        cli.out.flush();
        try {
            // as every command that reads or writes the journal: DATABASE_URL is required
            Settings.from(cli.variables).databases().targetUrl();
        } catch (ConfigException e) {
            return cli.cannotStart(e);
        }
        return Cli.OK;
    }

    /** set, default X, or unset: never the value. */
    private String state(Variable<?> variable) {
        if (!cli.variables.getOrDefault(variable.name(), "").isBlank()) {
            return "set";
        }
        return variable.defaultValue() != null ? "default " + variable.defaultValue() : "unset";
    }
}
