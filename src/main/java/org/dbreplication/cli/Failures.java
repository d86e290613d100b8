package org.dbreplication.cli;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.RuntimeCamelException;
import org.dbreplication.logging.Secrets;

/** Turns an exception into the one line an operator reads: the innermost meaningful message, secrets masked. */
final class Failures {

    private Failures() {
    }

    static String oneLine(Throwable failure) {
        Throwable meaningful = failure;
        while (isWrapper(meaningful) && meaningful.getCause() != null) {
            meaningful = meaningful.getCause();
        }
        String message = meaningful.getMessage();
        if (message == null || message.isBlank()) {
            message = meaningful.getClass().getSimpleName();
        }
        return Secrets.mask(message.strip().replaceAll("\\s*\\R\\s*", " | "));
    }

    private static boolean isWrapper(Throwable t) {
        return t instanceof CamelExecutionException || t.getClass() == RuntimeCamelException.class
                || t instanceof ExecutionException || t instanceof CompletionException
                || t instanceof InvocationTargetException;
    }
}
