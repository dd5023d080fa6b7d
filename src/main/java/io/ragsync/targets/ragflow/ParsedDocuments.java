package io.ragsync.targets.ragflow;

import io.ragsync.jobs.Job;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The parse tracker's parsed documents of one tick, whose jobs end together in one statement as durable queues batch
 * their completions (sql/jobs/succeed-parsed-jobs.sql); a crash before it leaves them parsing, to be found DONE again.
 */
@Component("parsedDocuments")
public class ParsedDocuments implements AggregationStrategy {

    private static final String PARSED = "parsed";

    public record Parsed(long jobId, String datasetId, String message, String progress, Long chunks, Integer claim) {
    }

    /** The statement's parameters, one array per column (PostgreSQL unnests them side by side). */
    public record Batch(Long[] jobIds, String[] datasetIds, String[] messages, String[] progress, Long[] chunks,
                        Integer[] claims) {

        static Batch of(List<Parsed> parsed) {
            return new Batch(parsed.stream().map(Parsed::jobId).toArray(Long[]::new),
                    parsed.stream().map(Parsed::datasetId).toArray(String[]::new),
                    parsed.stream().map(Parsed::message).toArray(String[]::new),
                    parsed.stream().map(Parsed::progress).toArray(String[]::new),
                    parsed.stream().map(Parsed::chunks).toArray(Long[]::new),
                    parsed.stream().map(Parsed::claim).toArray(Integer[]::new));
        }
    }

    /** Marks the checked job parsed, from the properties the check set (RagflowResponses.parseState). */
    public void parsed(Exchange exchange) {
        Number chunks = exchange.getProperty("chunkCount", Number.class);
        exchange.setVariable(PARSED, new Parsed(exchange.getProperty("jobId", Long.class),
                exchange.getProperty("datasetId", String.class), exchange.getProperty("ragMessage", String.class),
                exchange.getProperty("progressMessage", String.class), chunks == null ? null : chunks.longValue(),
                exchange.getVariable("job", Job.class).claim()));
    }

    /** Gathers the tick's parsed jobs; its body becomes their {@link Batch}, or null for none. */
    @Override
    public Exchange aggregate(Exchange gathered, Exchange checked) {
        Exchange result = gathered != null ? gathered : checked;
        @SuppressWarnings("unchecked")
        List<Parsed> all = gathered != null ? result.getVariable(PARSED, List.class) : new ArrayList<>();
        Parsed one = checked.getVariable(PARSED, Parsed.class);
        if (one != null && checked.getException() == null) {
            all.add(one);
        }
        result.setVariable(PARSED, all);
        return result;
    }

    @Override
    public void onCompletion(Exchange result, Exchange original) {
        if (result != null) {
            @SuppressWarnings("unchecked")
            List<Parsed> all = result.getVariable(PARSED, List.class);
            result.getMessage().setBody(all == null || all.isEmpty() ? null : Batch.of(all));
            result.removeVariable(PARSED);
        }
    }
}
