package io.ragsync.targets.local;

import io.ragsync.targets.ragflow.RagflowCredentials;
import io.ragsync.targets.ragflow.RagflowRequests;
import io.ragsync.platform.storage.StoredFile;
import jakarta.annotation.PostConstruct;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

/** The default target, in ragsync_setting for the enqueue triggers to stamp jobs with; and the targets in use. */
@Component("indexTargets")
public class IndexTargets {

    private static final Logger LOG = LoggerFactory.getLogger(IndexTargets.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final ChunkStore chunkStore;
    private final String defaultTarget;
    private final RagflowRequests ragflowRules;
    private final TextExtractor localRules;

    public IndexTargets(JdbcTemplate jdbc, ChunkStore chunkStore, RagflowCredentials ragflow,
                        RagflowRequests ragflowRules, TextExtractor localRules,
                        @Value("${app.index.default-target:}") String configured) {
        this.jdbc = new NamedParameterJdbcTemplate(jdbc);
        this.chunkStore = chunkStore;
        this.ragflowRules = ragflowRules;
        this.localRules = localRules;
        this.defaultTarget = resolve(configured, ragflow.isConfigured());
    }

    static String resolve(String configured, boolean ragflowKeyConfigured) {
        String value = configured == null ? "" : configured.trim().toLowerCase(Locale.ROOT);
        if (value.isEmpty()) {
            return ragflowKeyConfigured ? "ragflow" : "local";
        }
        Assert.isTrue(Set.of("ragflow", "local", "lightrag").contains(value), () -> "app.index.default-target"
                + " (RAGSYNC_TARGET) must be ragflow, local, lightrag or empty, got '" + configured + "'");
        return value;
    }

    public String defaultTarget() {
        return defaultTarget;
    }

    /** The default target plus every target a knowledge base names or an unfinished job awaits, sorted. */
    public Set<String> targetsInUse() {
        Set<String> targets = new TreeSet<>(jdbc.queryForList(chunkStore.sql("select-targets-in-use"), Map.of(),
                String.class));
        targets.add(defaultTarget);
        return targets;
    }

    /** Refuses a file (and its knowledge base name) that the given target would refuse, saying that target's rule. */
    public void checkFile(String target, String kbName, StoredFile file) {
        if ("ragflow".equals(target)) {
            ragflowRules.datasetName(kbName);
            ragflowRules.documentName(file);
        } else {
            localRules.checkAcceptable(file);
        }
    }

    public boolean ragflowInUse() {
        return targetsInUse().contains("ragflow");
    }

    public boolean lightragInUse() {
        return targetsInUse().contains("lightrag");
    }

    @PostConstruct
    void recordDefault() {
        Map<String, String> target = Map.of("target", defaultTarget);
        jdbc.update(chunkStore.sql("record-default-target"), target);
        int restamped = jdbc.update(chunkStore.sql("restamp-queued-jobs"), target);
        LOG.info("Default target of knowledge bases without their own: {}{}; local index storage: {}", defaultTarget,
                restamped > 0 ? " (" + restamped + " queued job(s) moved to it)" : "", chunkStore.describeMode());
    }
}
