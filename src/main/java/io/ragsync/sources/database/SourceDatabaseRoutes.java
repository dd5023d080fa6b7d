package io.ragsync.sources.database;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * One relay route and one write-back route per configured source database, made from the templates of
 * routes/sources/database once the YAML routes are loaded; the only parameter is the configured name.
 */
@Component
@EnableConfigurationProperties(SourceDatabaseSettings.class)
public class SourceDatabaseRoutes implements CamelContextConfiguration {

    static final String RELAY_TEMPLATE = "source-database-relay";
    static final String WRITE_BACK_TEMPLATE = "source-database-write-back";

    private final SourceDatabases sources;

    public SourceDatabaseRoutes(SourceDatabases sources) {
        this.sources = sources;
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        // the templates are loaded with the routes, at start
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
        for (String name : sources.names()) {
            for (String template : new String[] {RELAY_TEMPLATE, WRITE_BACK_TEMPLATE}) {
                TemplatedRouteBuilder.builder(camel, template)
                        .routeId(template + "-" + name)
                        .parameter("source", name)
                        .add();
            }
        }
    }
}
