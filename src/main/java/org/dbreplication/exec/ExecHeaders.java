package org.dbreplication.exec;

import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.exec.ExecBinding;

/** Sets the command an {@code exec:} endpoint runs next: as headers, so that arguments need no quoting in a URI. */
public final class ExecHeaders {

    private ExecHeaders() {
    }

    public static void command(Exchange exchange, String executable, List<String> args) {
        exchange.getIn().setBody(null);
        exchange.getIn().setHeader(ExecBinding.EXEC_COMMAND_EXECUTABLE, executable);
        exchange.getIn().setHeader(ExecBinding.EXEC_COMMAND_ARGS, args);
    }
}
