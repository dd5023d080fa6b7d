package io.ragsync.ops;

import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers {@link LogLineContext}: the job's exchange properties (app.ops.log.mdc-properties: jobId,
 * documentId, op, target, outcome...) go into the logging MDC while a route's log step writes its line, so the
 * one line per sync attempt (routes/sync/sync-job.camel.yaml, job-report) carries them as separate fields in the
 * JSON log format (LOG_FORMAT=ecs|logstash|gelf), next to camel.routeId and camel.exchangeId.
 */
@Configuration
public class OpsLogging {

    @Bean
    CamelContextConfiguration mdcLogging(@Value("${app.ops.log.mdc-properties:}") String properties) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext context) {
                context.getCamelContextExtension().addLogListener(new LogLineContext(properties));
            }

            @Override
            public void afterApplicationStart(CamelContext context) {
                // nothing to do once started
            }
        };
    }
}
