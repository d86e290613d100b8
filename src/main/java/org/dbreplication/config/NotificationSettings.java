package org.dbreplication.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The webhooks called when the copy is ready.
 *
 * @param webhooks NOTIFICATIONS, or NOTIFICATION_URLS (the original sample file's spelling) when it is not set
 */
public record NotificationSettings(List<Webhook> webhooks) {

    static final Variable<List<Webhook>> NOTIFICATIONS = Variable.of("NOTIFICATIONS", "[]", Notifications::parse,
            "webhooks called when the copy is ready: a JSON array of {\"url\", \"token\"} objects or URLs");
    static final Variable<List<Webhook>> NOTIFICATION_URLS = Variable.of("NOTIFICATION_URLS", "[]", Notifications::parse,
            "former name of NOTIFICATIONS, read when it is not set");

    static final List<Variable<?>> VARIABLES = List.of(NOTIFICATIONS, NOTIFICATION_URLS);

    static NotificationSettings read(Env env) {
        return new NotificationSettings(NOTIFICATIONS.find(env).orElseGet(() -> NOTIFICATION_URLS.read(env)));
    }

    /** The webhooks' tokens and the credentials of their URLs, masked in every log line. */
    List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        for (Webhook webhook : webhooks) {
            webhook.token().ifPresent(secrets::add);
            String userInfo = URI.create(webhook.url()).getRawUserInfo();
            if (userInfo != null) {
                secrets.add(userInfo);
            }
        }
        return secrets;
    }
}
