package io.ragsync.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.spi.RouteController;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

class JobPollerControlTest {

    private final CamelContext camel = mock(CamelContext.class);
    private final RouteController routes = mock(RouteController.class);
    private final ProducerTemplate producer = mock(ProducerTemplate.class);
    private final ApplicationContext app = mock(ApplicationContext.class);
    private final JobSlots slots = new JobSlots(2);
    private JobPollerControl control;

    @BeforeEach
    void wire() {
        when(camel.isStarted()).thenReturn(true);
        when(camel.getRoute("job-poller")).thenReturn(mock(Route.class));
        when(camel.getRouteController()).thenReturn(routes);
        when(camel.createProducerTemplate()).thenReturn(producer);
        control = new JobPollerControl(camel, app, slots, 7);
    }

    @Test
    void closeOfItsOwnContextStopsClaimingWaitsTheGraceAndReleasesOnce() throws Exception {
        control.onApplicationEvent(new ContextClosedEvent(mock(ApplicationContext.class)));
        assertThat(control.isClaiming()).as("another context's close is not ours").isTrue();
        verify(routes, never()).stopRoute(anyString(), any(Long.class), any());

        control.onApplicationEvent(new ContextClosedEvent(app));
        assertThat(control.isClaiming()).isFalse();
        verify(routes).stopRoute("job-poller", JobPollerControl.POLLER_STOP_SECONDS, TimeUnit.SECONDS);
        verify(producer).sendBody("direct:job-poller-release", null);
        verify(producer).close();

        control.onApplicationEvent(new ContextClosedEvent(app));
        verifyNoMoreInteractions(routes, producer);
    }

    @Test
    void aFailingRouteStopStillReleasesTheJobs() throws Exception {
        doThrow(new IllegalStateException("boom")).when(routes).stopRoute("job-poller", JobPollerControl.POLLER_STOP_SECONDS,
                TimeUnit.SECONDS);
        control.stopGracefully();
        verify(producer).sendBody("direct:job-poller-release", null);
    }

    @Test
    void thePollerStopsOnlyOnceTheJobsHandedToWorkersHaveEnded() throws Exception {
        AtomicInteger busyAtRelease = busyAtRelease();
        // the poller's wire tap drops a job still waiting for a worker when its route stops: none may be left then
        AtomicInteger busyAtRouteStop = new AtomicInteger(-1);
        doAnswer(call -> {
            busyAtRouteStop.set(slots.busy());
            return null;
        }).when(routes).stopRoute("job-poller", JobPollerControl.POLLER_STOP_SECONDS, TimeUnit.SECONDS);
        slots.reserve(2, 0);
        Thread stopper = new Thread(control::stopGracefully, "stopper");
        stopper.start();
        // the stop is under way: it has stopped the route, or it waits for the jobs
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> busyAtRouteStop.get() >= 0
                || stopper.getState() == Thread.State.TIMED_WAITING);
        slots.jobEnded();
        slots.jobEnded();
        stopper.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(busyAtRouteStop).hasValue(0);
        assertThat(busyAtRelease).hasValue(0);
    }

    @Test
    void aJobStillRunningWhenTheGraceRunsOutIsReleased() throws Exception {
        AtomicInteger busyAtRelease = busyAtRelease();
        control = new JobPollerControl(camel, app, slots, 1);
        slots.reserve(1, 0);
        control.stopGracefully();
        assertThat(busyAtRelease).hasValue(1);
    }

    @Test
    void theGraceRunningOutShowsWhereEachJobWorkerIs() throws Exception {
        control = new JobPollerControl(camel, app, slots, 1);
        slots.reserve(1, 0);
        CountDownLatch stuck = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            try {
                stuck.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "Camel (stop-test) thread #1 - job-workers");
        worker.start();
        Logger log = (Logger) LoggerFactory.getLogger(JobPollerControl.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        log.addAppender(events);
        try {
            control.stopGracefully();
        } finally {
            log.detachAppender(events);
            stuck.countDown();
        }
        assertThat(events.list).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
                .extracting(ILoggingEvent::getFormattedMessage).asString()
                .contains("Camel (stop-test) thread #1 - job-workers", "WAITING", "CountDownLatch.await");
    }

    private AtomicInteger busyAtRelease() {
        AtomicInteger busy = new AtomicInteger(-1);
        doAnswer(call -> {
            busy.set(slots.busy());
            return null;
        }).when(producer).sendBody("direct:job-poller-release", null);
        return busy;
    }

    @Test
    void nothingToDoWhenCamelNeverStarted() {
        when(camel.isStarted()).thenReturn(false);
        control.stopGracefully();
        assertThat(control.isClaiming()).isFalse();
        verify(camel, never()).createProducerTemplate();
    }
}
