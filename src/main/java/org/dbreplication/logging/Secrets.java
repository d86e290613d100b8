package org.dbreplication.logging;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Last line of defence for secrets in logs: the values registered here (passwords, API keys, tokens, DSNs) and any
 * password inside a URL are replaced by {@value #MASK} in every log line, JSON or text. The code never logs them
 * on purpose; this catches what a library or an error message might echo.
 */
public final class Secrets {

    public static final String MASK = "***";
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^:/@\\s\"']+:)[^@\\s\"']+@");
    private static final Set<String> VALUES = ConcurrentHashMap.newKeySet();

    private Secrets() {
    }

    /** Registers a secret value; short values are ignored (they would mask ordinary words). */
    public static void register(String secret) {
        if (secret != null && secret.length() >= 4) {
            VALUES.add(secret);
        }
    }

    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = URL_PASSWORD.matcher(text).replaceAll("$1" + MASK + "@");
        for (String secret : VALUES) {
            if (masked.contains(secret)) {
                masked = masked.replace(secret, MASK);
            }
        }
        return masked;
    }
}
