package io.ragsync.sources.database;

import io.ragsync.platform.SqlFiles;
import io.ragsync.sources.database.SourceDatabases.SourceDatabase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves a source database's changes into the hub and the hub's ingestion status back. Not camel-sql steps: the
 * source's claim (its rows locked) stays open while the hub's transaction commits, then the claimed rows go.
 */
@Component("sourceDatabaseRelay")
public class SourceDatabaseRelay {

    private static final Logger LOG = LoggerFactory.getLogger(SourceDatabaseRelay.class);
    /** Statements that return the hub document or knowledge base whose jobs they enqueued. */
    private static final Set<String> DATED = Set.of("mirror-document", "unmirror-document", "unmirror-knowledge-base");

    private final SourceDatabases sources;
    private final NamedParameterJdbcTemplate hub;
    private final TransactionTemplate hubTx;

    public SourceDatabaseRelay(SourceDatabases sources, DataSource dataSource) {
        this.sources = sources;
        this.hub = new NamedParameterJdbcTemplate(dataSource);
        this.hubTx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /** One change of the outbox, with the row as the source has it now (null: gone). */
    record Change(long outboxId, String table, long rowId, Object changedAt, Map<String, Object> row) {
    }

    /** Relays one batch of the outbox; after a crash between the commits it is relayed again, changing nothing twice. */
    public int relay(String sourceName) {
        SourceDatabase source = sources.get(sourceName);
        Integer relayed = source.tx().execute(status -> {
            List<Change> changes = claim(source);
            if (changes.isEmpty()) {
                return 0;
            }
            try {
                hubTx.executeWithoutResult(hubStatus -> mirror(source, changes));
            } catch (DuplicateKeyException raced) {
                // another hub relayed a change of the same row meanwhile: the whole batch again at the next tick
                throw raced;
            } catch (DataIntegrityViolationException refused) {
                return oneByOne(source, changes);
            }
            delete(source, changes);
            return changes.size();
        });
        return relayed == null ? 0 : relayed;
    }

    /** A change the hub refuses must not hold back the others: each alone, a refused one set aside with the reason. */
    private int oneByOne(SourceDatabase source, List<Change> changes) {
        for (Change change : changes) {
            try {
                hubTx.executeWithoutResult(hubStatus -> mirror(source, List.of(change)));
                delete(source, List.of(change));
            } catch (DuplicateKeyException raced) {
                throw raced;
            } catch (DataIntegrityViolationException refused) {
                String reason = String.valueOf(refused.getMostSpecificCause().getMessage());
                LOG.warn("source database {}: {} {} refused by the hub, set aside in ragsync_outbox (id {}): {}",
                        source.name(), change.table(), change.rowId(), change.outboxId(), reason);
                source.jdbc().update(sql("refuse-outbox-row"),
                        Map.of("id", change.outboxId(), "reason", reason));
            }
        }
        return changes.size();
    }

    private static void delete(SourceDatabase source, List<Change> changes) {
        source.jdbc().update(sql("delete-outbox"),
                Map.of("ids", changes.stream().map(Change::outboxId).toList()));
    }

    private List<Change> claim(SourceDatabase source) {
        return source.jdbc().queryForList(sql("claim-outbox"), Map.of("batchSize", sources.batchSize()))
                .stream()
                .map(o -> {
                    String table = (String) o.get("table_name");
                    long rowId = ((Number) o.get("row_id")).longValue();
                    return new Change(((Number) o.get("id")).longValue(), table, rowId, o.get("created_at"),
                            read(source, table, rowId));
                })
                .toList();
    }

    private static Map<String, Object> read(SourceDatabase source, String table, long rowId) {
        String statement = switch (table) {
            case "knowledge_base" -> "read-knowledge-base";
            case "document" -> "read-document";
            case "ingest_queue_item" -> "read-ingest-item";
            default -> throw new IllegalStateException("outbox row of an unknown table in " + source.name());
        };
        List<Map<String, Object>> rows = source.jdbc().queryForList(sql(statement), Map.of("id", rowId));
        return rows.isEmpty() ? null : rows.get(0);
    }

    private void mirror(SourceDatabase source, List<Change> changes) {
        hub.queryForList(sql("name-job-source"), Map.of());
        for (Change change : changes) {
            Map<String, Object> params = withSource(source, change.row() == null ? Map.of() : change.row());
            params.put("id", change.rowId());
            params.put("changed_at", change.changedAt());
            for (String statement : statements(change)) {
                if (statement.equals("mirror-document")) {
                    ensureKnowledgeBase(source, ((Number) change.row().get("knowledge_base_id")).longValue());
                }
                if (DATED.contains(statement)) {
                    hub.queryForList(sql(statement), params).forEach(touched -> date(touched, change));
                } else {
                    hub.update(sql(statement), params);
                }
            }
        }
    }

    /** The jobs a change enqueued date from the change in the source, not from the relay. */
    private void date(Map<String, Object> touched, Change change) {
        Map<String, Object> params = new HashMap<>(touched);
        params.put("changed_at", change.changedAt());
        hub.update(sql(touched.containsKey("document_id") ? "date-document-jobs" : "date-knowledge-base-jobs"),
                params);
    }

    /** The hub statements a change runs, in order: a row that is gone is deleted, one that exists is upserted. */
    static List<String> statements(Change change) {
        boolean gone = change.row() == null;
        return switch (change.table()) {
            case "knowledge_base" -> List.of(gone ? "unmirror-knowledge-base" : "mirror-knowledge-base");
            case "document" -> List.of(gone ? "unmirror-document" : "mirror-document");
            default -> gone ? List.of("unmirror-ingest-item")
                    : List.of("mirror-ingest-node", "mirror-ingest-item", "date-ingest-job", "mark-item-pending");
        };
    }

    /** A document's knowledge base is in the hub before the document (also one the backend had before the outbox). */
    private void ensureKnowledgeBase(SourceDatabase source, long knowledgeBaseId) {
        Map<String, Object> params = withSource(source, Map.of("id", knowledgeBaseId));
        Integer known = hub.queryForObject(sql("select-knowledge-base-origin"), params, Integer.class);
        Map<String, Object> kb = read(source, "knowledge_base", knowledgeBaseId);
        if (kb != null && (known == null || known == 0)) {
            params.putAll(kb);
            params.put("id", knowledgeBaseId);
            hub.update(sql("mirror-knowledge-base"), params);
        }
    }

    /** Writes the items' status and new log lines back: the source first (repeats are harmless), then the watermarks. */
    public int writeBack(String sourceName) {
        SourceDatabase source = sources.get(sourceName);
        Map<String, Object> which = Map.of("source", source.name(), "batchSize", sources.batchSize());
        List<Map<String, Object>> items = hub.queryForList(sql("select-item-changes"), which);
        List<Map<String, Object>> lines = hub.queryForList(sql("select-item-log-lines"), which);
        if (items.isEmpty() && lines.isEmpty()) {
            return 0;
        }
        source.tx().executeWithoutResult(status -> {
            items.forEach(item -> {
                source.jdbc().update(sql("write-back-ingest-item"), item);
                source.jdbc().update(sql("write-back-ingest-node"), item);
            });
            lines.forEach(line -> source.jdbc().update(sql("write-back-ingest-log"), line));
        });
        hubTx.executeWithoutResult(status -> {
            items.forEach(item -> hub.update(sql("mark-item-mirrored"), withSource(source, item)));
            lines.forEach(line -> hub.update(sql("mark-log-mirrored"), withSource(source, line)));
        });
        return items.size() + lines.size();
    }

    private static Map<String, Object> withSource(SourceDatabase source, Map<String, Object> row) {
        Map<String, Object> params = new HashMap<>(row);
        params.put("source", source.name());
        return params;
    }

    /** A statement of sql/sources/database by its file name. */
    static String sql(String name) {
        return SqlFiles.read("sources/database", name);
    }
}
