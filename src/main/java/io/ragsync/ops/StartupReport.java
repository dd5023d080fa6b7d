package io.ragsync.ops;

import io.ragsync.ragflow.RagflowCredentials;
import io.ragsync.storage.StorageFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Tells the operator, once started, where everything is and what the hub talks to (never the key itself). */
@Component
public class StartupReport {

    private static final Logger LOG = LoggerFactory.getLogger(StartupReport.class);

    private final StorageFiles storage;
    private final RagflowCredentials credentials;
    private final String ragflowUrl;
    private final String routes;
    private final String instanceId;
    private final String opsUser;

    public StartupReport(StorageFiles storage, RagflowCredentials credentials,
                         @Value("${app.ragflow.base-url}") String ragflowUrl,
                         @Value("${camel.main.routes-include-pattern}") String routes,
                         @Value("${app.instance-id}") String instanceId,
                         @Value("${app.ops.user:ops}") String opsUser) {
        this.storage = storage;
        this.credentials = credentials;
        this.ragflowUrl = ragflowUrl;
        this.routes = routes;
        this.instanceId = instanceId;
        this.opsUser = opsUser;
    }

    @EventListener
    public void ready(ApplicationReadyEvent event) {
        int port = event.getApplicationContext() instanceof WebServerApplicationContext web
                ? web.getWebServer().getPort() : -1;
        LOG.info("RAGSync {} ready: HTTP on port {} (sync status GET /api/documents/{id}/sync-status, health"
                        + " /actuator/health, metrics /actuator/prometheus); storage root {}; routes {}; RAGFlow {} ({})",
                instanceId, port, storage.getRoot(), routes, ragflowUrl, credentials.maskedKey());
        LOG.info("Operator console (login '{}'): sync dashboard http://localhost:{}/ops, Hawtio http://localhost:{}"
                + "/actuator/hawtio, Jolokia /actuator/jolokia", opsUser, port, port);
    }
}
