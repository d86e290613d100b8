package org.dbreplication.full;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a file over HTTP(S) to disk, with a progress line every few seconds (bytes, rate, ETA when the size is
 * known), after checking the disk has room for it and its extraction.
 */
final class Download {

    private static final Logger LOG = LoggerFactory.getLogger(Download.class);
    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30)).build();

    private Download() {
    }

    /**
     * @param shownUrl      what logs and errors show (no query string: download links carry signatures)
     * @param authorization optional Authorization header
     */
    static Path to(String url, String shownUrl, Optional<String> authorization, Path file) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        authorization.ifPresent(value -> request.header("Authorization", value));
        HttpResponse<InputStream> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new BackupException("the backup download answered HTTP " + response.statusCode() + " at " + shownUrl
                        + (response.statusCode() == 403 || response.statusCode() == 410 ? " (an expired or refused link)" : ""));
            }
            long size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            DiskSpace.require(file.getParent(), size < 0 ? 0 : size * 2, "the download of " + shownUrl + " and its extraction");
            LOG.info("downloading the backup from {} ({} bytes)", v("url", shownUrl), v("size_bytes", size));
            long start = System.nanoTime();
            long lastReport = start;
            long done = 0;
            byte[] buffer = new byte[1 << 16];
            try (OutputStream out = Files.newOutputStream(file)) {
                int read;
                while ((read = body.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    done += read;
                    long now = System.nanoTime();
                    if (now - lastReport > PROGRESS_EVERY_NANOS) {
                        lastReport = now;
                        long rate = (long) (done / ((now - start) / 1e9));
                        LOG.info("download progress: {} bytes, {} bytes/s{}", v("bytes", done), v("bytes_per_s", rate),
                                size > 0 ? ", ETA " + (size - done) / Math.max(1, rate) + " s" : "");
                    }
                }
            }
            if (size >= 0 && done != size) {
                throw new BackupException("the backup download from " + shownUrl + " stopped at " + done + " of " + size + " bytes");
            }
            LOG.info("backup downloaded: {} bytes in {} ms", v("bytes", done), v("duration_ms", (System.nanoTime() - start) / 1_000_000));
            return file;
        }
    }

    /** The URL as logs may show it: without query string nor credentials. */
    static String shown(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }
}
