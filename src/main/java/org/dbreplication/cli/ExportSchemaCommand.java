package org.dbreplication.cli;

import java.util.concurrent.Callable;
import org.dbreplication.config.ConfigException;
import org.dbreplication.config.Settings;
import org.dbreplication.runtime.ReplicationRuntime;
import picocli.CommandLine.Command;

/** {@code export-schema}: the data catalog's schema export, once. */
@Command(name = "export-schema", mixinStandardHelpOptions = true,
        description = {"Replays the target's schema (DATABASE_URL) into DB_SCHEMA_EXPORTER_DATABASE_TARGET, once."})
class ExportSchemaCommand implements Callable<Integer> {

    @picocli.CommandLine.ParentCommand
    Cli cli;

    @Override
    public Integer call() {
        Settings settings;
        try {
            settings = cli.settingsWithTarget();
            settings.schemaExport().targetUrl();
        } catch (ConfigException e) {
            return cli.cannotStart(e);
        }
        try (ReplicationRuntime runtime = ReplicationRuntime.start(settings, ReplicationRuntime.Mode.ONE_OFF)) {
            org.apache.camel.Exchange result = runtime.context().createProducerTemplate().send("direct:schema-export", ex -> { });
            if (result.getException() != null) {
                throw result.getException();
            }
            return Cli.OK;
        } catch (Exception e) {
            return cli.failed(e);
        }
    }
}
