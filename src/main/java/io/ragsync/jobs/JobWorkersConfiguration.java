package io.ragsync.jobs;

import java.util.concurrent.ExecutorService;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The job workers: one thread pool of {@code app.jobs.parallelism} threads for everything that names
 * {@code executorService: job-workers} (the claimed jobs, routes/jobs/job-poller.camel.yaml, and the RAGFlow parse
 * checks, routes/targets/ragflow/ragflow-parse.camel.yaml), so that setting bounds an instance's concurrent work on RAGFlow.
 * It is bound in Camel's registry before the routes start because Camel gives every EIP that names a thread pool
 * <em>profile</em> a pool of its own, while a pool in the registry is shared. (Not a Spring bean of type
 * ExecutorService: Spring Boot would then skip its own task executor, which platform-http needs.) Created by Camel's
 * executor service manager: threads named {@code job-workers}, shown in the JMX console, shut down by Camel after
 * its routes.
 */
@Component
public class JobWorkersConfiguration implements CamelContextConfiguration {

    public static final String POOL = "job-workers";
    /** Tasks waiting for a worker: jobs are bounded by JobSlots, parse checks by their claim size. */
    static final int MAX_QUEUED = 1000;

    private final int parallelism;

    public JobWorkersConfiguration(@Value("${app.jobs.parallelism}") int parallelism) {
        this.parallelism = parallelism;
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        ExecutorService pool = camel.getExecutorServiceManager().newThreadPool(this, POOL,
                new ThreadPoolProfileBuilder(POOL).poolSize(parallelism).maxPoolSize(parallelism).maxQueueSize(MAX_QUEUED).build());
        camel.getRegistry().bind(POOL, ExecutorService.class, pool);
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
        // nothing to do once started
    }
}
