package io.ragsync.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Rule 16: no Simple expression in routes/ or sql/ calls a method or an index on a message value (Camel's bean
 * language takes a String root as a bean reference: "#class:..." would be instantiated), and no endpoint URI is
 * built at run time, except the expressions listed below on hub-made values.
 */
class OutsideDataConventionTest {

    /** A Simple function that goes through OGNL (method, property or index) on a message value. */
    private static final Pattern OGNL = Pattern.compile(
            "^(?:(?:in\\.)?body|(?:mandatory)?[bB]odyAs\\([^)]*\\)|headerAs\\([^)]*\\))\\s*[.\\[?]"
                    + "|^(?:in\\.)?(?:header|headers|exchangeProperty|variable|variables)[.:][^.\\[?\\s]+\\s*[.\\[?]"
                    + "|^(?:in\\.)?(?:header|headers|exchangeProperty|variable|variables)\\[[^\\]]*\\]\\s*[.\\[?]"
                    + "|^(?:exchange|camelContext)\\s*[.\\[?]");
    private static final Pattern SIMPLE = Pattern.compile("\\$\\{([^{}]*)\\}");
    private static final Pattern SQL_PARAMETER = Pattern.compile(":#\\$\\{([^{}]*)\\}");
    private static final Set<String> DYNAMIC_ENDPOINTS = Set.of("toD", "recipientList", "dynamicRouter", "routingSlip",
            "enrich", "pollEnrich");
    private static final Set<String> URI_HEADERS = Set.of("CamelHttpUri", "CamelHttpPath", "CamelHttpQuery",
            "CamelHttpRawQuery");

    private static final String SQL_ROW = "a sql SelectOne/SelectList result of the hub's own statement (Map/List)";
    private static final String RECORD = "a record or Map a hub bean returned (never a String)";
    private static final String RAGFLOW_PATH = "RAGFlow path/query from ids the hub stored or planned, sent only to RAGFlow";

    /** file|expression -> why the value is hub-made and can never be a String of outside origin. */
    private static final Map<String, String> ALLOWED = Map.ofEntries(
            Map.entry("routes/ops/ops-metrics.camel.yaml|${body[done]}", SQL_ROW),
            Map.entry("routes/ops/ops-metrics.camel.yaml|${body[eta_seconds]}", SQL_ROW),
            Map.entry("routes/ops/ops-metrics.camel.yaml|${body[failed]}", SQL_ROW),
            Map.entry("routes/ops/ops-metrics.camel.yaml|${body[percent]}", SQL_ROW),
            Map.entry("routes/ops/ops-metrics.camel.yaml|${body[rate_per_minute]}", SQL_ROW),
            Map.entry("routes/ops/ops-metrics.camel.yaml|${body[remaining]}", SQL_ROW),
            Map.entry("routes/ops/ops-metrics.camel.yaml|${body[since]}", SQL_ROW),
            Map.entry("routes/ops/ops-metrics.camel.yaml|${body[total]}", SQL_ROW),
            Map.entry("routes/sources/backend-sync-api.camel.yaml|${body[document_id]}", SQL_ROW),
            Map.entry("routes/sources/backend-sync-api.camel.yaml|${body[job_id]}", SQL_ROW),
            Map.entry("routes/sources/file-drop.camel.yaml|${body[action]}", SQL_ROW),
            Map.entry("routes/sources/file-drop.camel.yaml|${body[document_id]}", SQL_ROW),
            Map.entry("routes/sources/file-drop.camel.yaml|${body[job_id]}", SQL_ROW),
            Map.entry("routes/sources/file-drop.camel.yaml|${body[knowledge_base_id]}", SQL_ROW),
            Map.entry("routes/sources/file-drop.camel.yaml|${body[relative_path]}", SQL_ROW),
            Map.entry("routes/sources/push-api-support.camel.yaml|${exchangeProperty.jobState[state]}", SQL_ROW),
            Map.entry("routes/sources/push-api-support.camel.yaml|${exchangeProperty.jobState[sync_ms]}", SQL_ROW),
            Map.entry("routes/sources/push-api-support.camel.yaml|${exchangeProperty.jobState[timed_out]}", SQL_ROW),
            Map.entry("routes/sources/push-delete.camel.yaml|${body[chunk_count]}", SQL_ROW),
            Map.entry("routes/sources/push-delete.camel.yaml|${body[chunks]}", SQL_ROW),
            Map.entry("routes/sources/push-delete.camel.yaml|${body[deadline]}", SQL_ROW),
            Map.entry("routes/sources/push-delete.camel.yaml|${body[document_id]}", SQL_ROW),
            Map.entry("routes/sources/push-delete.camel.yaml|${body[documents]}", SQL_ROW),
            Map.entry("routes/sources/push-delete.camel.yaml|${body[file_path]}", SQL_ROW),
            Map.entry("routes/sources/push-delete.camel.yaml|${body[job_id]}", SQL_ROW),
            Map.entry("routes/sources/push-embed.camel.yaml|${body[created]}", SQL_ROW),
            Map.entry("routes/sources/push-embed.camel.yaml|${body[deadline]}", SQL_ROW),
            Map.entry("routes/sources/push-embed.camel.yaml|${body[document_id]}", SQL_ROW),
            Map.entry("routes/sources/push-embed.camel.yaml|${body[job_id]}", SQL_ROW),
            Map.entry("routes/sources/push-embed.camel.yaml|${body[knowledge_base_id]}", SQL_ROW),
            Map.entry("routes/sources/push-embed.camel.yaml|${body[revision]}", SQL_ROW),
            Map.entry("routes/sources/push-jobs.camel.yaml|${body[document_id]}", SQL_ROW),
            Map.entry("routes/sources/push-jobs.camel.yaml|${exchangeProperty.retried.size()}", "a List a hub bean or statement returned"),
            Map.entry("routes/sources/push-link-fetch.camel.yaml|${exchangeProperty.url}", "the pushed link itself, checked by linkFetchGuard; a header chooses only the http call's address"),
            Map.entry("routes/sources/rest-batch.camel.yaml|${body[document_id]}", SQL_ROW),
            Map.entry("routes/sources/rest-batch.camel.yaml|${body[enabled]}", SQL_ROW),
            Map.entry("routes/sources/rest-batch.camel.yaml|${body[file_path]}", SQL_ROW),
            Map.entry("routes/sources/rest-batch.camel.yaml|${body[knowledge_base_id]}", SQL_ROW),
            Map.entry("routes/sources/rest-batch.camel.yaml|${body[sync_date]}", SQL_ROW),
            Map.entry("routes/sources/rest-batch.camel.yaml|${exchangeProperty.chunkRows.size()}", "a List a hub bean or statement returned"),
            Map.entry("routes/sync/job-maintenance.camel.yaml|${body[document_id]}", SQL_ROW),
            Map.entry("routes/sync/job-maintenance.camel.yaml|${body[job_id]}", SQL_ROW),
            Map.entry("routes/sync/job-maintenance.camel.yaml|${body[last_error]}", SQL_ROW),
            Map.entry("routes/sync/job-maintenance.camel.yaml|${body[status]}", SQL_ROW),
            Map.entry("routes/sync/job-poller.camel.yaml|${body.size()}", "SelectList rows of release-instance-jobs.sql"),
            Map.entry("routes/sync/sync-job.camel.yaml|${body[message]}", SQL_ROW),
            Map.entry("routes/sync/sync-job.camel.yaml|${body[status]}", SQL_ROW),
            Map.entry("routes/targets/local-embeddings.camel.yaml|${body.size()}", "the chunk texts the hub's chunker made (List)"),
            Map.entry("routes/targets/local-retrieval.camel.yaml|${exchangeProperty.retrievalQuery.blank}", RECORD),
            Map.entry("routes/targets/local-retrieval.camel.yaml|${exchangeProperty.retrievalQuery.question}", RECORD),
            Map.entry("routes/targets/local-upsert.camel.yaml|${exchangeProperty.chunked.droppedChunks}", RECORD),
            Map.entry("routes/targets/local-upsert.camel.yaml|${exchangeProperty.chunked.totalChunks}", RECORD),
            Map.entry("routes/targets/local-upsert.camel.yaml|${exchangeProperty.chunked.truncated}", RECORD),
            Map.entry("routes/targets/local-upsert.camel.yaml|${exchangeProperty.doc[allowed_roles_json]}", SQL_ROW),
            Map.entry("routes/targets/local-upsert.camel.yaml|${exchangeProperty.doc[file_path]}", SQL_ROW),
            Map.entry("routes/targets/local-upsert.camel.yaml|${exchangeProperty.doc[knowledge_base_id]}", SQL_ROW),
            Map.entry("routes/targets/local-upsert.camel.yaml|${exchangeProperty.doc[tenant]}", SQL_ROW),
            Map.entry("routes/targets/local-upsert.camel.yaml|${exchangeProperty.extracted.mediaType}", RECORD),
            Map.entry("routes/targets/local-upsert.camel.yaml|${exchangeProperty.extracted.text}", RECORD),
            Map.entry("routes/targets/local-upsert.camel.yaml|${exchangeProperty.file.sha256}", "StoredFile record from storageFiles.resolve"),
            Map.entry("routes/targets/local-upsert.camel.yaml|${exchangeProperty.indexed[chunk_count]}", SQL_ROW),
            Map.entry("routes/targets/local-upsert.camel.yaml|${exchangeProperty.indexed[content_hash]}", SQL_ROW),
            Map.entry("routes/targets/local-upsert.camel.yaml|${exchangeProperty.indexed[embedding_model]}", SQL_ROW),
            Map.entry("routes/targets/local-upsert.camel.yaml|${exchangeProperty.indexed[knowledge_base_id]}", SQL_ROW),
            Map.entry("routes/targets/local-upsert.camel.yaml|${exchangeProperty.indexed[meta_hash]}", SQL_ROW),
            Map.entry("routes/targets/local-upsert.camel.yaml|${exchangeProperty.plan.batchCount}", RECORD),
            Map.entry("routes/targets/local-upsert.camel.yaml|${exchangeProperty.plan.computed}", RECORD),
            Map.entry("routes/targets/local-upsert.camel.yaml|${exchangeProperty.plan.reused}", RECORD),
            Map.entry("routes/targets/ragflow-client.camel.yaml|${body[message]}", SQL_ROW),
            Map.entry("routes/targets/ragflow-client.camel.yaml|${body[status]}", SQL_ROW),
            Map.entry("routes/targets/ragflow-dataset.camel.yaml|${body[ragflow_dataset_id]}", SQL_ROW),
            Map.entry("routes/targets/ragflow-dataset.camel.yaml|${exchangeProperty.doc[kb_name]}", SQL_ROW),
            Map.entry("routes/targets/ragflow-delete.camel.yaml|${body[ragflow_dataset_id]}", SQL_ROW),
            Map.entry("routes/targets/ragflow-delete.camel.yaml|${exchangeProperty.datasetId}", RAGFLOW_PATH),
            Map.entry("routes/targets/ragflow-delete.camel.yaml|${exchangeProperty.doc[kb_dataset_id]}", SQL_ROW),
            Map.entry("routes/targets/ragflow-delete.camel.yaml|${exchangeProperty.doc[ragflow_document_id]}", SQL_ROW),
            Map.entry("routes/targets/ragflow-delete.camel.yaml|${exchangeProperty.doc[synced_dataset_id]}", SQL_ROW),
            Map.entry("routes/targets/ragflow-delete.camel.yaml|${exchangeProperty.doc[upload_pending]}", SQL_ROW),
            Map.entry("routes/targets/ragflow-delete.camel.yaml|${exchangeProperty.foundIds.size()}", "a List a hub bean or statement returned"),
            Map.entry("routes/targets/ragflow-parse.camel.yaml|${exchangeProperty.datasetId}", RAGFLOW_PATH),
            Map.entry("routes/targets/ragflow-reconcile.camel.yaml|${body.size()}", "SelectList rows of acquire-singleton-lease.sql"),
            Map.entry("routes/targets/ragflow-reconcile.camel.yaml|${body[datasetsRecreated]}", "ReconcilePlanner's report Map"),
            Map.entry("routes/targets/ragflow-reconcile.camel.yaml|${body[knowledge_base_id]}", SQL_ROW),
            Map.entry("routes/targets/ragflow-reconcile.camel.yaml|${body[listed]}", "ReconcilePlanner's report Map"),
            Map.entry("routes/targets/ragflow-reconcile.camel.yaml|${body[missing]}", "ReconcilePlanner's report Map"),
            Map.entry("routes/targets/ragflow-reconcile.camel.yaml|${body[orphanIds]}", "ReconcilePlanner's report Map"),
            Map.entry("routes/targets/ragflow-reconcile.camel.yaml|${body[orphans]}", "ReconcilePlanner's report Map"),
            Map.entry("routes/targets/ragflow-reconcile.camel.yaml|${body[ragflow_dataset_id]}", SQL_ROW),
            Map.entry("routes/targets/ragflow-reconcile.camel.yaml|${body[stale]}", "ReconcilePlanner's report Map"),
            Map.entry("routes/targets/ragflow-reconcile.camel.yaml|${body[status]}", "ReconcilePlanner's report Map"),
            Map.entry("routes/targets/ragflow-reconcile.camel.yaml|${exchangeProperty.datasetId}", RAGFLOW_PATH),
            Map.entry("routes/targets/ragflow-reconcile.camel.yaml|${exchangeProperty.plan[orphanIds]}", "ReconcilePlanner's plan Map"),
            Map.entry("routes/targets/ragflow-upsert.camel.yaml|${body.contentType}", "HttpEntity built by ragflowRequests.uploadEntity"),
            Map.entry("routes/targets/ragflow-upsert.camel.yaml|${exchangeProperty.datasetId}", RAGFLOW_PATH),
            Map.entry("routes/targets/ragflow-upsert.camel.yaml|${exchangeProperty.deleteDatasetId}", RAGFLOW_PATH),
            Map.entry("routes/targets/ragflow-upsert.camel.yaml|${exchangeProperty.doc[content_hash]}", SQL_ROW),
            Map.entry("routes/targets/ragflow-upsert.camel.yaml|${exchangeProperty.doc[kb_dataset_id]}", SQL_ROW),
            Map.entry("routes/targets/ragflow-upsert.camel.yaml|${exchangeProperty.doc[meta_hash]}", SQL_ROW),
            Map.entry("routes/targets/ragflow-upsert.camel.yaml|${exchangeProperty.doc[ragflow_document_id]}", SQL_ROW),
            Map.entry("routes/targets/ragflow-upsert.camel.yaml|${exchangeProperty.doc[ragflow_document_name]}", SQL_ROW),
            Map.entry("routes/targets/ragflow-upsert.camel.yaml|${exchangeProperty.doc[sync_status]}", SQL_ROW),
            Map.entry("routes/targets/ragflow-upsert.camel.yaml|${exchangeProperty.doc[synced_dataset_id]}", SQL_ROW),
            Map.entry("routes/targets/ragflow-upsert.camel.yaml|${exchangeProperty.doc[upload_pending]}", SQL_ROW),
            Map.entry("routes/targets/ragflow-upsert.camel.yaml|${exchangeProperty.file.sha256}", "StoredFile record from storageFiles.resolve"),
            Map.entry("routes/targets/ragflow-upsert.camel.yaml|${exchangeProperty.file.size}", "StoredFile record from storageFiles.resolve"),
            Map.entry("routes/targets/ragflow-upsert.camel.yaml|${exchangeProperty.leftoverDatasetId}", RAGFLOW_PATH),
            Map.entry("routes/targets/ragflow-upsert.camel.yaml|${exchangeProperty.leftoverIds.size()}", "a List a hub bean or statement returned"),
            Map.entry("routes/targets/ragflow-upsert.camel.yaml|${exchangeProperty.ragflowDocumentId}", RAGFLOW_PATH),
            Map.entry("sql/drop/register-drop-file.sql|${exchangeProperty.file.sha256}", "StoredFile record from storageFiles.resolve"),
            Map.entry("sql/drop/register-drop-file.sql|${exchangeProperty.file.size}", "StoredFile record from storageFiles.resolve"),
            Map.entry("sql/index/record-document-indexed.sql|${exchangeProperty.file.sha256}", "StoredFile record from storageFiles.resolve"),
            Map.entry("sql/index/record-document-indexed.sql|${exchangeProperty.file.size}", "StoredFile record from storageFiles.resolve"),
            Map.entry("sql/sync/record-document-uploaded.sql|${exchangeProperty.file.sha256}", "StoredFile record from storageFiles.resolve"),
            Map.entry("sql/sync/record-document-uploaded.sql|${exchangeProperty.file.size}", "StoredFile record from storageFiles.resolve"));

    @Test
    void noSimpleExpressionEvaluatesAMessageValue() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : files("routes", ".camel.yaml")) {
            walk(file, load(file), null, found);
        }
        for (Path file : files("sql", ".sql")) {
            Matcher m = SQL_PARAMETER.matcher(Files.readString(file));
            while (m.find()) {
                check(file, m.group(1), found);
            }
        }
        assertThat(found).as("OGNL/index on message values and dynamic endpoints (rule 16)").isEmpty();
    }

    @Test
    void theAllowListHasNoStaleEntries() throws IOException {
        Set<String> seen = new TreeSet<>();
        for (Path file : files("routes", ".camel.yaml")) {
            collect(file, Files.readString(file), SIMPLE, seen);
        }
        for (Path file : files("sql", ".sql")) {
            collect(file, Files.readString(file), SQL_PARAMETER, seen);
        }
        assertThat(seen).containsAll(ALLOWED.keySet().stream().filter(k -> !k.contains("|#")).toList());
    }

    @Test
    void thePatternCatchesEveryOgnlForm() {
        for (String ognl : List.of("body.length()", "body[0]", "body?.x", "in.body.size()", "bodyAs(String).length()",
                "mandatoryBodyAs(String).trim()", "header.CamelFileName.length()", "headers.x[0]",
                "header:x.y", "exchangeProperty.doc[id]", "exchangeProperty.doc.size()", "variable.x.y",
                "variables.x[1]", "exchange.message.body", "camelContext.name", "headers[x].y")) {
            assertThat(OGNL.matcher(ognl).find()).as(ognl).isTrue();
        }
        for (String plain : List.of("body", "header.CamelSqlRowCount", "exchangeProperty.jobId", "variable.x",
                "bodyAs(String)", "file:name", "exception.message", "properties:app.x", "date:now")) {
            assertThat(OGNL.matcher(plain).find()).as(plain).isFalse();
        }
    }

    private static void collect(Path file, String text, Pattern pattern, Set<String> into) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            into.add(file.toString().replace('\\', '/') + "|${" + m.group(1) + "}");
        }
    }

    private static void walk(Path file, Object node, String key, List<String> found) {
        if (node instanceof Map<?, ?> map) {
            if (map.get("name") instanceof String header && URI_HEADERS.contains(header)) {
                // a URI header is an endpoint address: only the allowed hub-made forms may be computed
                found.addAll(uriHeader(file, map.get("expression")));
            }
            map.forEach((k, v) -> {
                if (DYNAMIC_ENDPOINTS.contains(String.valueOf(k))
                        && !ALLOWED.containsKey(file.toString().replace('\\', '/') + "|#" + k)) {
                    found.add(file + ": dynamic endpoint " + k);
                }
                walk(file, v, String.valueOf(k), found);
            });
        } else if (node instanceof List<?> list) {
            list.forEach(v -> walk(file, v, key, found));
        } else if (node instanceof String text) {
            Matcher m = SIMPLE.matcher(text);
            while (m.find()) {
                check(file, m.group(1), found);
            }
        }
    }

    private static List<String> uriHeader(Path file, Object expression) {
        List<String> out = new ArrayList<>();
        String text = String.valueOf(expression);
        Matcher m = SIMPLE.matcher(text);
        while (m.find()) {
            String key = file.toString().replace('\\', '/') + "|${" + m.group(1) + "}";
            if (!ALLOWED.containsKey(key)) {
                out.add(key + " builds an HTTP URI, path or query");
            }
        }
        return out;
    }

    private static void check(Path file, String expression, List<String> found) {
        String key = file.toString().replace('\\', '/') + "|${" + expression + "}";
        if (OGNL.matcher(expression.strip()).find() && !ALLOWED.containsKey(key)) {
            found.add(key);
        }
    }

    private static Object load(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            return new Yaml(new LoaderOptions()).load(reader);
        }
    }

    private static List<Path> files(String folder, String suffix) throws IOException {
        try (Stream<Path> walk = Files.walk(Path.of(folder))) {
            return walk.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }
}
