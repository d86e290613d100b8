package org.dbreplication.logging;

import tools.jackson.core.TokenStreamContext;
import net.logstash.logback.mask.ValueMasker;

/** Masks secrets in every string value of the JSON log lines (message, fields, stack trace). */
public class SecretMasker implements ValueMasker {

    @Override
    public Object mask(TokenStreamContext context, Object value) {
        if (value instanceof CharSequence text) {
            String original = text.toString();
            String masked = Secrets.mask(original);
            return masked.equals(original) ? null : masked;
        }
        return null;
    }
}
