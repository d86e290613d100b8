package org.dbreplication.cli;

import java.util.concurrent.Callable;
import org.dbreplication.config.ConfigException;
import org.dbreplication.config.Settings;
import org.dbreplication.config.Variable;
import picocli.CommandLine.Command;

/**
 * {@code variables}: every variable of the settings with whether it is set here (never its value: some are
 * secrets), its default and its description; then the settings are checked as a run would check them.
 */
@Command(name = "variables", mixinStandardHelpOptions = true,
        description = {"Lists every variable with its default, whether it is set here and what it does, then checks them.",
                "Values are never printed. Exit code 2 names the first variable at fault, as a run would."})
class VariablesCommand implements Callable<Integer> {

    @picocli.CommandLine.ParentCommand
    Cli cli;

    @Override
    public Integer call() {
        int width = Settings.variableNames().stream().mapToInt(String::length).max().orElse(0);
        for (Variable<?> variable : Settings.VARIABLES) {
            String value = cli.variables.getOrDefault(variable.name(), "");
            String state = !value.isBlank() ? "set"
                    : variable.defaultValue() != null ? "default " + variable.defaultValue() : "unset";
            cli.out.printf("%-" + width + "s  %-22s  %s%n", variable.name(), state, variable.description());
        }
        cli.out.flush();
        try {
            Settings.from(cli.variables);
        } catch (ConfigException e) {
            return cli.cannotStart(e);
        }
        return Cli.OK;
    }
}
