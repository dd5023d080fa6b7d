package io.ragsync.platform;

import java.util.concurrent.CountDownLatch;

/**
 * The embedded default's database start, alone in a JVM that a test kills with SIGKILL: what a killed
 * {@code mvn spring-boot:run} or {@code java -jar} leaves behind. Argument: the data folder.
 */
public final class EmbeddedPostgresChild {

    public static final String READY = "embedded postgres ready";

    private EmbeddedPostgresChild() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedPostgresServer server = new EmbeddedDatabaseConfiguration().embeddedPostgres(args[0], 0);
        System.out.println(READY + " on port " + server.port());
        new CountDownLatch(1).await();
    }
}
