package io.ragsync.platform.api;

import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Installs {@link ApiErrorReportValve} as the host's only error report valve, after Spring Boot's customizer. Tomcat
 * still rejects encoded slashes itself (letting them through would hand them to the firewall and the routes).
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
public class ApiErrorReportCustomizer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                // the host adds a valve of this class at start unless one is there
                host.setErrorReportValveClass(ApiErrorReportValve.class.getName());
                Pipeline pipeline = host.getPipeline();
                for (Valve valve : pipeline.getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        pipeline.removeValve(valve);
                    }
                }
                pipeline.addValve(new ApiErrorReportValve());
            }
        });
    }
}
