package io.ragsync.ops;

import io.ragsync.sources.drop.DropFiles;
import io.ragsync.targets.local.IndexTargets;
import io.ragsync.targets.local.LocalEmbeddingModel;
import io.ragsync.targets.ragflow.RagflowCredentials;
import io.ragsync.platform.storage.StorageFiles;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/** Tells the operator, once started, where everything is and what the hub talks to (never a key or token). */
@Component
public class StartupReport {

    private static final Logger LOG = LoggerFactory.getLogger(StartupReport.class);
    private static final long MB = 1024 * 1024;

    private final StorageFiles storage;
    private final RagflowCredentials credentials;
    private final IndexTargets targets;
    private final DropFiles drop;
    private final Environment env;

    public StartupReport(StorageFiles storage, RagflowCredentials credentials, IndexTargets targets, DropFiles drop,
                         Environment env) {
        this.storage = storage;
        this.credentials = credentials;
        this.targets = targets;
        this.drop = drop;
        this.env = env;
    }

    @EventListener
    public void ready(ApplicationReadyEvent event) {
        int port = event.getApplicationContext() instanceof WebServerApplicationContext web
                ? web.getWebServer().getPort() : -1;
        report(port, Runtime.getRuntime().maxMemory());
    }

    /** Writes the report of a hub listening on {@code port} in a JVM whose max heap is {@code maxHeapBytes}. */
    public void report(int port, long maxHeapBytes) {
        Set<String> inUse = targets.targetsInUse();
        String ragflow = inUse.contains("ragflow")
                ? "RAGFlow " + env.getRequiredProperty("app.ragflow.base-url") + " (" + credentials.maskedKey() + ")"
                : "RAGFlow not in use";
        LOG.info("RAGSync {} ready: HTTP on port {} (sync status GET /api/documents/{id}/sync-status, health"
                        + " /actuator/health, metrics /actuator/prometheus); storage root {}; routes {}; targets in use {}"
                        + " (default {}); {}",
                env.getRequiredProperty("app.instance-id"), port, storage.getRoot(),
                env.getRequiredProperty("camel.main.routes-include-pattern"), inUse, targets.defaultTarget(), ragflow);
        LOG.info("Operator console (login '{}'): sync dashboard http://localhost:{}/ops, Hawtio http://localhost:{}"
                + "/actuator/hawtio, Jolokia /actuator/jolokia", env.getProperty("app.ops.user", "ops"), port, port);
        if (env.getProperty("app.drop.enabled", Boolean.class, true)) {
            LOG.info("Drop folder: {} (a file under <knowledge base>/ becomes a document of that knowledge base;"
                    + " mode {})", drop.getDropDir(), env.getProperty("app.drop.mode", "keep"));
        } else {
            LOG.info("Drop folder: off (DROP_ENABLED=false)");
        }
        if (StringUtils.hasText(env.getProperty("app.backoffice.admin-token"))) {
            LOG.info("Backoffice (REST sources): http://localhost:{}/backoffice/rest-sources and /api/backoffice/*,"
                    + " for callers with the admin token and role", port);
        } else {
            LOG.info("Backoffice (REST sources, /backoffice/rest-sources, /api/backoffice/*): closed, every request is"
                    + " refused (401) until BACKOFFICE_ADMIN_TOKEN is set");
        }
        heapWarning(inUse.contains("local"), maxHeapBytes).ifPresent(LOG::warn);
    }

    /** The warning of a heap below what the in-process embedding model needs, when the local target uses it. */
    Optional<String> heapWarning(boolean localInUse, long maxHeapBytes) {
        if (!localInUse || !"local".equals(env.getProperty("app.index.embedding.provider", "local"))
                || maxHeapBytes >= LocalEmbeddingModel.REQUIRED_HEAP_MB * MB) {
            return Optional.empty();
        }
        return Optional.of("The local target's embedding model (" + LocalEmbeddingModel.NAME + ", in-process) needs a"
                + " max heap of at least " + LocalEmbeddingModel.REQUIRED_HEAP_MB + " MB, this JVM has "
                + maxHeapBytes / MB + " MB: local jobs will fail to load it. Start the JVM with -Xmx"
                + LocalEmbeddingModel.REQUIRED_HEAP_MB + "m or more (e.g. JAVA_TOOL_OPTIONS), or use"
                + " EMBEDDING_PROVIDER=http");
    }
}
