package io.ragsync.support;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.springframework.test.context.cache.DefaultCacheAwareContextLoaderDelegate;

/**
 * Closes every cached Spring test context when the test run ends, while the embedded PostgreSQL still runs.
 * Left to the JVM's shutdown hooks, the database (zonky's own hook) and the contexts stop at the same time, and
 * each context then waits on a database that is gone to hand its jobs back and close its pool.
 */
public class CloseTestContextsFirst implements LauncherSessionListener {

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        new DefaultCacheAwareContextLoaderDelegate() {
            void closeAll() {
                getContextCache().reset();
            }
        }.closeAll();
    }
}
