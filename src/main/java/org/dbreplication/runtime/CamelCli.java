package org.dbreplication.runtime;

import org.apache.camel.CamelContext;
import org.apache.camel.cli.connector.DefaultCliConnectorFactory;
import org.apache.camel.main.Main;
import org.apache.camel.spi.CliConnector;

/**
 * Lets Camel's CLI (Camel JBang: {@code camel get}, {@code camel get route}, {@code camel get health}) see a
 * long-lived process (schedule, web) from the same machine: camel-cli-connector keeps
 * {@code ~/.camel/<pid>-status.json} up to date from the dev consoles (read by {@code camel get}) and removes it at
 * stop. Local files only: nothing listens on the network.
 * <p>
 * Started once the context has started, never by Camel itself: once camel-cli-connector is on the classpath, every
 * context starts a connector while it is initialised (DefaultCliConnectorFactory is enabled by default), whose thread
 * resolves the dev consoles at once, binding them in the registry while the main thread creates the routes and
 * iterates that registry (a ConcurrentModificationException failing the start now and then). Each context therefore
 * gets {@link #automaticConnectorOff()}; one-off commands go without a connector.
 */
public final class CamelCli {

    private CamelCli() {
    }

    /** The registry name under which camel-main takes {@link #automaticConnectorOff()}. */
    public static final String FACTORY_BEAN = "cliConnectorFactory";

    /**
     * A connector factory that creates none: bound as {@link #FACTORY_BEAN} before {@code main.start()}, or added
     * as the context plugin of a plain context before it is initialised.
     */
    public static org.apache.camel.spi.CliConnectorFactory automaticConnectorOff() {
        DefaultCliConnectorFactory off = new DefaultCliConnectorFactory();
        off.setEnabled(false);
        return off;
    }

    /** Before {@code main.start()}: the dev consoles the connector reads. */
    public static void prepare(Main main) {
        main.addInitialProperty("camel.main.dev-console-enabled", "true");
    }

    /**
     * After the context has started; the caller stops what this returns when it closes the context (as a service of
     * the context alone, its thread outlived the context).
     */
    public static CliConnector start(CamelContext context) throws Exception {
        removeFilesOfDeadProcesses(java.nio.file.Path.of(System.getProperty("user.home"), ".camel"));
        DefaultCliConnectorFactory factory = new DefaultCliConnectorFactory();
        factory.setRuntime("Main");
        // Camel's own version, from camel-main's manifest
        factory.setRuntimeVersion(Main.class.getPackage().getImplementationVersion());
        factory.setRuntimeStartClass("org.dbreplication.cli.Cli");
        CliConnector connector = factory.createConnector();
        if (connector instanceof org.apache.camel.CamelContextAware aware) {
            aware.setCamelContext(context);
        }
        org.apache.camel.support.service.ServiceHelper.startService(connector);
        return connector;
    }

    /**
     * A process killed (SIGKILL, a container's end) leaves its files ({@code PID}, {@code PID-status.json}, …), which
     * {@code camel get} would go on listing; those of processes that no longer exist are removed.
     */
    static void removeFilesOfDeadProcesses(java.nio.file.Path directory) {
        java.util.regex.Pattern own = java.util.regex.Pattern.compile("(\\d+)(-[a-z]+\\.json)?");
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(directory)) {
            files.forEach(file -> {
                java.util.regex.Matcher name = own.matcher(file.getFileName().toString());
                if (name.matches() && ProcessHandle.of(Long.parseLong(name.group(1))).isEmpty()) {
                    try {
                        java.nio.file.Files.deleteIfExists(file);
                    } catch (java.io.IOException ignored) {
                        // another process removed it, or it cannot be: camel get shows it, nothing else
                    }
                }
            });
        } catch (java.io.IOException | RuntimeException nothingThere) {
            // no ~/.camel yet
        }
    }

    /** Stops it: its thread ends and its files are removed. */
    public static void stop(CliConnector connector) {
        if (connector != null) {
            org.apache.camel.support.service.ServiceHelper.stopAndShutdownService(connector);
        }
    }
}
