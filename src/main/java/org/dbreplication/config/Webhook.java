package org.dbreplication.config;

import java.net.URI;
import java.util.Optional;

/** One receiver of the end-of-run notification; the token, when given, goes raw into the Authorization header. */
public record Webhook(String url, Optional<String> token) {

    /** The URL without credentials nor query string: what logs, the journal and errors show. */
    public String displayUrl() {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    @Override
    public String toString() {
        return displayUrl();
    }
}
