package io.ragsync.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class JobSlotsTest {

    private final JobSlots slots = new JobSlots(3);

    @Test
    void aClaimGetsTheFreePlacesUpToItsLimitAndGivesBackWhatItDidNotFill() throws Exception {
        assertThat(slots.reserve(2, 0)).isEqualTo(2);
        assertThat(slots.busy()).isEqualTo(2);
        assertThat(slots.reserve(5, 0)).as("only one place left").isEqualTo(1);
        assertThat(slots.reserve(5, 0)).as("none free").isZero();

        // the last claim found no job for its place
        slots.releaseUnclaimed(1, 0);
        assertThat(slots.busy()).isEqualTo(2);
        slots.releaseUnclaimed(2, 2);
        assertThat(slots.busy()).isEqualTo(2);
    }

    @Test
    void aFullPoolWaitsForTheNextJobToEnd() throws Exception {
        slots.reserve(3, 0);
        CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return slots.reserve(3, 60_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        slots.jobEnded();
        assertThat(waiting.join()).isEqualTo(1);
        assertThat(slots.busy()).isEqualTo(3);
    }

    @Test
    void idleOnlyWhenEveryJobEnded() throws Exception {
        assertThat(slots.awaitIdle(0)).isTrue();
        slots.reserve(2, 0);
        assertThat(slots.awaitIdle(10)).isFalse();
        slots.jobEnded();
        slots.jobEnded();
        assertThat(slots.awaitIdle(0)).isTrue();
        assertThat(slots.busy()).as("the check gives its places back").isZero();
    }

    @Test
    void placesAreNeverGivenBackTwice() throws Exception {
        slots.reserve(2, 0);
        slots.jobEnded();
        slots.releaseUnclaimed(1, 0);
        slots.jobEnded();
        slots.releaseUnclaimed(2, 1);
        assertThat(slots.busy()).as("what was given back twice is dropped").isZero();
        assertThat(slots.reserve(5, 0)).as("never more places than workers").isEqualTo(3);
    }

    @Test
    void theJobsAClaimFoundAreHeldUntilTheirExchangesEnd() throws Exception {
        slots.claimed(List.of(Map.of("job_id", 7L), Map.of("job_id", 9)));
        assertThat(slots.heldJobIds().split(",")).containsExactlyInAnyOrder("7", "9");

        Exchange run = new DefaultExchange(new DefaultCamelContext());
        slots.reserve(1, 0);
        slots.releaseWhenDone(Map.of("job_id", 7L), run);
        run.getExchangeExtension().handoverCompletions().forEach(done -> done.onComplete(run));
        assertThat(slots.heldJobIds()).isEqualTo("9");
        assertThat(slots.busy()).isZero();
    }

    @Test
    void aLimitBelowOneClaimsNothingAndNoWorkersIsAConfigurationError() throws Exception {
        assertThat(slots.reserve(0, 0)).isZero();
        assertThat(slots.busy()).isZero();
        assertThatThrownBy(() -> new JobSlots(0)).hasMessageContaining("app.jobs.parallelism");
    }
}
