package org.dbreplication.cli;

import java.util.concurrent.Callable;
import org.dbreplication.config.ConfigException;
import org.dbreplication.config.Settings;
import org.dbreplication.web.WebServer;
import picocli.CommandLine.Command;

/** {@code web}: the status page, its API, health, metrics and Jolokia on PORT (the Procfile's "web"). */
@Command(name = "web", mixinStandardHelpOptions = true,
        description = {"Serves the status page and its API, health, metrics and Jolokia on PORT.",
                "Paths: /, /api/…, /observe/health (/live, /ready), /observe/metrics, /observe/jolokia; all behind HTTP basic "
                        + "auth (WEB_USER, WEB_PASSWORD) except the liveness probe /observe/health/live."})
class WebCommand implements Callable<Integer> {

    @picocli.CommandLine.ParentCommand
    Cli cli;

    @Override
    public Integer call() {
        Settings settings;
        try {
            settings = cli.settingsWithTarget();
            settings.web().requireSafe();
        } catch (ConfigException e) {
            return cli.cannotStart(e);
        }
        try (WebServer server = WebServer.start(settings)) {
            cli.out.println("web server on " + settings.web().host() + ":" + settings.web().port()
                    + ": / (status page), /observe/health, /observe/metrics, /observe/jolokia");
            cli.out.flush();
            server.awaitShutdown();
            return Cli.OK;
        } catch (ConfigException e) {
            return cli.cannotStart(e);
        } catch (Exception e) {
            return cli.failed(e);
        }
    }
}
