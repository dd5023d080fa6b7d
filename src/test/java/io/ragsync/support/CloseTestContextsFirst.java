package io.ragsync.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * Closes every Spring test context when the test run ends, while the embedded PostgreSQL still runs. Left to
 * the JVM's shutdown hooks, the database (zonky's own hook) and the contexts stop at the same time, and each
 * context then waits on a database that is gone to hand its jobs back and to close its pool (surefire killed
 * the fork 30 s after exit). As a test execution listener (META-INF/spring.factories) it notes each context a
 * test class uses; as a launcher session listener (META-INF/services) it closes them, newest first. Spring's
 * context cache cannot do it: its reset only forgets the contexts.
 */
public class CloseTestContextsFirst implements LauncherSessionListener, TestExecutionListener {

    private static final Set<ConfigurableApplicationContext> CONTEXTS = Collections.synchronizedSet(new LinkedHashSet<>());

    @Override
    public void prepareTestInstance(TestContext testContext) {
        ApplicationContext context = testContext.getApplicationContext();
        if (context instanceof ConfigurableApplicationContext configurable) {
            synchronized (CONTEXTS) {
                CONTEXTS.removeIf(c -> !c.isActive()); // closed by the cache (least recently used): let them go
                CONTEXTS.add(configurable);
            }
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        List<ConfigurableApplicationContext> open;
        synchronized (CONTEXTS) {
            open = new ArrayList<>(CONTEXTS);
            CONTEXTS.clear();
        }
        Collections.reverse(open);
        open.forEach(ConfigurableApplicationContext::close); // does nothing for one already closed
    }
}
