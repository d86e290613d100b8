package org.dbreplication.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Which YAML route files the process loads: the defaults of routes/ (in the jar), plus routes/&lt;REPLICATION_ENV&gt;/
 * and ROUTES_DIR when set. A file of an environment with the same name as a default file replaces it; the others
 * add routes. The schedule (schedule.yaml) is loaded by the background process only, the web routes (web.yaml) by
 * the web process only.
 */
public final class RouteFiles {

    /** The route files of the web process. */
    public static final java.util.function.Predicate<String> WEB = "web.yaml"::equals;

    /** The route files of a one-off command ({@code run}) or, with the schedule, of the background process. */
    static java.util.function.Predicate<String> replication(boolean scheduler) {
        return name -> !name.equals("web.yaml") && (scheduler || !name.equals("schedule.yaml"));
    }

    private RouteFiles() {
    }

    /**
     * The route files to load, as camel-main's include pattern: each file named explicitly (Camel's wildcards
     * would also take the files of every environment folder).
     */
    public static String includePattern(Optional<String> environment, Optional<Path> directory,
                                        java.util.function.Predicate<String> wanted) {
        TreeSet<String> replaced = new TreeSet<>();
        List<String> include = new ArrayList<>();
        environment.ifPresent(env -> {
            List<String> names = classpathNames("routes/" + env);
            if (names.isEmpty()) {
                throw new org.dbreplication.config.ConfigException("REPLICATION_ENV",
                        "no route file in routes/" + env + "/ (the folder must exist in the bundle)");
            }
            names.stream().filter(wanted).forEach(name -> include.add("classpath:routes/" + env + "/" + name));
            replaced.addAll(names);
        });
        directory.ifPresent(dir -> {
            if (!Files.isDirectory(dir)) {
                throw new org.dbreplication.config.ConfigException("ROUTES_DIR", "is not a directory: " + dir);
            }
            fileNames(dir).stream().filter(wanted).forEach(name -> include.add("file:" + dir.toAbsolutePath().resolve(name)));
            replaced.addAll(fileNames(dir));
        });
        for (String name : classpathNames("routes")) {
            if (!replaced.contains(name) && wanted.test(name)) {
                include.add("classpath:routes/" + name);
            }
        }
        return String.join(",", include);
    }

    private static List<String> fileNames(Path dir) {
        return ClasspathFolder.fileNames(dir, ".yaml");
    }

    /** Names of the .yaml files directly in a classpath folder (in a directory or in the jar). */
    private static List<String> classpathNames(String folder) {
        return ClasspathFolder.names(folder, ".yaml");
    }
}
