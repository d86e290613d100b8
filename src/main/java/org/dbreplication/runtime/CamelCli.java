package org.dbreplication.runtime;

import org.apache.camel.cli.connector.DefaultCliConnectorFactory;
import org.apache.camel.main.Main;

/**
 * Lets Camel's CLI (Camel JBang: {@code camel get}, {@code camel get route}, {@code camel get health}) see this
 * process from the same machine: camel-main starts camel-cli-connector when a factory is bound, which keeps
 * {@code ~/.camel/<pid>-status.json} up to date (read by {@code camel get}) from the dev consoles, and removes it at
 * stop. Local files only: nothing listens on the network.
 */
public final class CamelCli {

    private CamelCli() {
    }

    public static void enable(Main main) {
        DefaultCliConnectorFactory connector = new DefaultCliConnectorFactory();
        connector.setRuntime("Main");
        // Camel's own version, from camel-main's manifest
        connector.setRuntimeVersion(Main.class.getPackage().getImplementationVersion());
        connector.setRuntimeStartClass("org.dbreplication.cli.Cli");
        main.bind("cliConnectorFactory", connector);
        main.addInitialProperty("camel.main.dev-console-enabled", "true");
    }
}
