package org.dbreplication.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;

/**
 * The status page's files (routes/web.yaml), from the jar only: the page under {@code status/} and the charting
 * library's webjar under {@code META-INF/resources/webjars/}. Only plain names with a known extension are served —
 * never a file of the working directory nor another resource of the jar (Camel's own static server would serve
 * both, so it stays off).
 */
public class StatusPage {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon");

    /** GET /: the page. */
    public void index(Exchange exchange) throws IOException {
        serve(exchange, "status/index.html");
    }

    /** GET /assets/NAME: a file of the page. */
    public void asset(Exchange exchange) throws IOException {
        serve(exchange, "status/" + relative(exchange, "/assets/"));
    }

    /** GET /webjars/NAME/VERSION/…: a file of a webjar (the charting library). */
    public void webjar(Exchange exchange) throws IOException {
        serve(exchange, "META-INF/resources/webjars/" + relative(exchange, "/webjars/"));
    }

    private static String relative(Exchange exchange, String prefix) {
        String path = exchange.getIn().getHeader(Exchange.HTTP_PATH, "", String.class);
        int at = path.indexOf(prefix);
        return at < 0 ? path : path.substring(at + prefix.length());
    }

    private static void serve(Exchange exchange, String resource) throws IOException {
        String extension = resource.substring(resource.lastIndexOf('.') + 1);
        String type = TYPES.get(extension);
        InputStream in = type == null || !SAFE.matcher(resource).matches() || resource.contains("..")
                ? null : StatusPage.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
            exchange.getMessage().setBody("not found");
            return;
        }
        try (in) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, type);
            exchange.getMessage().setBody(in.readAllBytes());
        }
    }
}
