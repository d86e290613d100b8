package org.dbreplication.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.dbreplication.config.ConfigException;
import org.dbreplication.config.Settings;
import org.dbreplication.journal.RunJournal;
import org.dbreplication.web.StatusServer;
import picocli.CommandLine.Command;

/** {@code web}: the read-only status server on PORT (the Procfile's "web"). */
@Command(name = "web", mixinStandardHelpOptions = true,
        description = {"Serves, on PORT, /health (HTTP 503 when the last run failed) and /runs (recent runs as JSON)."})
class WebCommand implements Callable<Integer> {

    @picocli.CommandLine.ParentCommand
    Cli cli;

    @Override
    public Integer call() {
        Settings settings;
        try {
            settings = cli.settingsWithTarget();
        } catch (ConfigException e) {
            return cli.cannotStart(e);
        }
        try (StatusServer server = StatusServer.start(settings.port(), new RunJournal(settings))) {
            cli.out.println("status server on port " + server.port() + ": /health, /runs");
            cli.out.flush();
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
            return Cli.OK;
        } catch (Exception e) {
            return cli.failed(e);
        }
    }
}
