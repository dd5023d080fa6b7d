package io.ragsync.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PackageScanResourceResolver;
import org.apache.camel.spi.Resource;
import org.apache.camel.spring.boot.FatJarPackageScanResourceResolver;
import org.springframework.stereotype.Component;

/**
 * Lets Camel find the route files in the packaged jar from its table of contents: camel-spring-boot reads the whole jar
 * with its nested libraries (~390 MB) per wildcard of {@code camel.main.routes-include-pattern}, ~22 of a 43 s start.
 * Route files load after the Spring context is refreshed, so replacing the resolver from a bean comes in time.
 */
@Component
public class PackagedRoutesScan {

    public PackagedRoutesScan(CamelContext camel) {
        camel.getCamelContextExtension()
                .addContextPlugin(PackageScanResourceResolver.class, new ApplicationClassesFirst());
    }

    /** camel-spring-boot's resolver, without the nested jars when the folder is the application's own. */
    static class ApplicationClassesFirst extends FatJarPackageScanResourceResolver {

        /** The application's own classes as the classic loader's URLs name them (pom.xml: loaderImplementation). */
        static final String APPLICATION_CLASSES = "!/BOOT-INF/classes!/";
        static final String CLASSES_ROOT = "BOOT-INF/classes/";

        private final ThreadLocal<Boolean> ownFolder = ThreadLocal.withInitial(() -> false);

        @Override
        protected void loadImplementationsInJar(URL url, String packageName, String subPattern, InputStream stream,
                                                String urlPath, Set<Resource> resources, Predicate<String> filter) {
            ownFolder.set(url.toString().contains(APPLICATION_CLASSES));
            try {
                super.loadImplementationsInJar(url, packageName, subPattern, stream, urlPath, resources, filter);
            } finally {
                ownFolder.remove();
            }
        }

        @Override
        protected List<String> doLoadImplementationsInJar(String packageName, InputStream stream, String urlPath,
                                                          Predicate<String> filter) {
            if (!ownFolder.get()) {
                return super.doLoadImplementationsInJar(packageName, stream, urlPath, filter);
            }
            // the jar's table of contents instead of a pass over its 390 MB; names as the superclass gives them
            try (stream; JarFile jar = new JarFile(urlPath)) {
                return jar.stream()
                        .filter(entry -> !entry.isDirectory())
                        .map(JarEntry::getName)
                        .filter(name -> name.startsWith(CLASSES_ROOT))
                        .filter(name -> filter != null ? filter.test(name) : !name.endsWith(".class"))
                        .map(name -> name.substring(CLASSES_ROOT.length()))
                        .filter(name -> name.startsWith(packageName))
                        .toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + urlPath, e);
            }
        }
    }
}
