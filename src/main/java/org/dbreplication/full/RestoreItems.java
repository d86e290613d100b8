package org.dbreplication.full;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The timed items of one full run, logged as they complete and kept for the timing report. */
public final class RestoreItems {

    private static final Logger LOG = LoggerFactory.getLogger(RestoreItems.class);
    private final List<RestoreItem> items = new ArrayList<>();

    public synchronized void add(RestoreItem item) {
        items.add(item);
        LOG.info("restore item done: {} {} in {} ms", v("category", item.category()), v("item", item.name()),
                v("duration_ms", item.duration().toMillis()));
    }

    public void addAll(Collection<RestoreItem> more) {
        more.forEach(this::add);
    }

    public synchronized List<RestoreItem> all() {
        return List.copyOf(items);
    }
}
