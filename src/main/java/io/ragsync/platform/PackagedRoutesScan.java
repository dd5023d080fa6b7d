package io.ragsync.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
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
 * Lets Camel find the route files in the packaged jar without reading every library in it.
 *
 * <p>camel-spring-boot answers a wildcard of {@code camel.main.routes-include-pattern} (such as
 * {@code classpath:routes/jobs/*.camel.yaml}) found in the executable jar by reading the whole jar, each nested
 * library jar included (~390 MB: the ONNX runtime, the embedding model, the PostgreSQL binaries), a pass over
 * every byte per pattern: ~22 of the 43 s a {@code java -jar} start took here, for the five route folders. The
 * folder a pattern names is located by the class loader first; when it is in the application's own classes
 * ({@code BOOT-INF/classes}), {@link ApplicationClassesFirst} lists it from the jar's table of contents. Any other
 * location (a library's folder, an unpacked class path as in tests and {@code spring-boot:run}) is scanned as
 * before.
 *
 * <p>camel-spring-boot installs its resolver when it creates the context; the route files are loaded later, when
 * the Spring context has been refreshed, so replacing it here (a bean that needs the context) comes in time.
 */
@Component
public class PackagedRoutesScan {

    public PackagedRoutesScan(CamelContext camel) {
        camel.getCamelContextExtension()
                .addContextPlugin(PackageScanResourceResolver.class, new ApplicationClassesFirst());
    }

    /** camel-spring-boot's resolver, without the nested jars when the folder is the application's own. */
    static class ApplicationClassesFirst extends FatJarPackageScanResourceResolver {

        /**
         * Where Spring Boot's executable jar keeps the application's classes and resources, as the classic loader's
         * URLs name it (pom.xml: loaderImplementation CLASSIC); a URL of any other form is scanned as before.
         */
        static final String APPLICATION_CLASSES = "!/BOOT-INF/classes!/";
        static final String CLASSES_ROOT = "BOOT-INF/classes/";

        /** Whether the folder being scanned on this thread is in the application's own classes. */
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
            List<String> names = new ArrayList<>();
            try (stream; JarFile jar = new JarFile(urlPath)) {
                jar.stream()
                        .filter(entry -> !entry.isDirectory())
                        .map(JarEntry::getName)
                        .filter(name -> name.startsWith(CLASSES_ROOT))
                        .filter(name -> filter != null ? filter.test(name) : !name.endsWith(".class"))
                        .map(name -> name.substring(CLASSES_ROOT.length()))
                        .filter(name -> name.startsWith(packageName))
                        .forEach(names::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + urlPath, e);
            }
            return names;
        }
    }
}
