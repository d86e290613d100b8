package org.dbreplication.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * NOTIFICATIONS (or NOTIFICATION_URLS, the original sample file's spelling): a JSON array of
 * {@code {"url": "...", "token": "..."}} objects (token optional) or of plain URL strings. The tokens and the
 * credentials of the URLs are masked in logs by {@link Settings#from} ({@link NotificationSettings#secrets}).
 */
public final class Notifications {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Notifications() {
    }

    public static List<Webhook> parse(String variable, String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ConfigException(variable, "is not valid JSON (" + e.getOriginalMessage() + "); expected an array"
                    + " such as [{\"url\": \"https://example.net/hook\", \"token\": \"...\"}]");
        }
        if (root == null || !root.isArray()) {
            throw new ConfigException(variable, "must be a JSON array such as [{\"url\": \"https://example.net/hook\"}]");
        }
        List<Webhook> webhooks = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode item = root.get(i);
            String url;
            Optional<String> token = Optional.empty();
            if (item.isTextual()) {
                url = item.asText();
            } else if (item.isObject() && item.path("url").isTextual()) {
                url = item.get("url").asText();
                if (item.hasNonNull("token")) {
                    if (!item.get("token").isTextual()) {
                        throw new ConfigException(variable, "entry " + (i + 1) + ": \"token\" must be a string");
                    }
                    token = Optional.of(item.get("token").asText());
                }
            } else {
                throw new ConfigException(variable, "entry " + (i + 1) + " must be a URL string or an object with a \"url\"");
            }
            webhooks.add(new Webhook(checkedUrl(variable, i, url), token));
        }
        return List.copyOf(webhooks);
    }

    private static String checkedUrl(String variable, int index, String url) {
        try {
            URI uri = new URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new ConfigException(variable, "entry " + (index + 1) + " is not an http:// or https:// URL");
            }
            return url;
        } catch (URISyntaxException e) {
            throw new ConfigException(variable, "entry " + (index + 1) + " is not a valid URL");
        }
    }
}
