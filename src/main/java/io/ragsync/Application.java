package io.ragsync;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** RAGSync: a Camel hub that keeps business documents in sync with RAG engines. Routes live in routes/. */
@SpringBootApplication
public class Application {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(Application.class);
        // a stable, unique name for this process in job claims (override with RAGSYNC_INSTANCE_ID)
        app.setDefaultProperties(Map.of("ragsync.default-instance-id", defaultInstanceId()));
        app.run(args);
    }

    static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "ragsync";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
