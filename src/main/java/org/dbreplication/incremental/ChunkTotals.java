package org.dbreplication.incremental;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/** Aggregates the split's chunk results: the rows each table received (progress and final report read them). */
public class ChunkTotals implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange total, Exchange chunk) {
        ChunkCopier.Result result = chunk.getIn().getBody(ChunkCopier.Result.class);
        if (result != null) {
            result.table().rowsCopied.addAndGet(result.rows());
        }
        return total == null ? chunk : total;
    }
}
