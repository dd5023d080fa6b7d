package io.ragsync.support;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A hub with its OWN database, storage root and RAGFlow stub, for tests that need other settings than the
 * shared context (HubTestSupport) and must not share its queue: the shared context's pollers keep running
 * while another context is tested, so a common database would let them take each other's jobs. A subclass
 * declares its own {@code @DynamicPropertySource} calling {@link #isolatedProperties}; its properties are
 * the shared test properties plus the given overrides.
 */
public abstract class IsolatedHubTest extends HubTestBase {

    protected static final RagflowStub STUB = new RagflowStub();
    protected static final Path ROOT = TestFiles.tempDir("ragsync-isolated-storage");

    /** The shared test properties on database {@code database}, with this class's stub and storage, plus overrides. */
    public static Map<String, String> isolatedProperties(String database, String instanceId, Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>(HubTestSupport.testProperties(database, instanceId));
        props.put("app.storage.root", ROOT.toString());
        props.put("app.ragflow.base-url", STUB.baseUrl());
        props.putAll(overrides);
        return props;
    }

    protected static void register(DynamicPropertyRegistry registry, Map<String, String> props) {
        props.forEach((k, v) -> registry.add(k, () -> v));
    }

    @BeforeEach
    void cleanIsolatedSlate() {
        awaitQuiet();
        jdbc.execute("TRUNCATE sync_job, sync_job_log, sync_dead_letter, kb_dataset, document_sync, document,"
                + " knowledge_base, deletion_proof RESTART IDENTITY CASCADE");
        STUB.reset();
        gate.reopen();
        TestFiles.clear(ROOT);
    }

    @AfterEach
    void settle() {
        STUB.faults().clear();
        awaitQuiet();
    }

    @Override
    protected Path storageRoot() {
        return ROOT;
    }

    protected static Path writeFile(String relativePath, String content) {
        return TestFiles.write(ROOT, relativePath, content);
    }
}
