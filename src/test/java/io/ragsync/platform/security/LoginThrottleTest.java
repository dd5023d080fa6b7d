package io.ragsync.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * The login throttle's memory: how long a user is locked after failed logins, and that a flood of made-up names
 * (HTTP tests: IdentityAccessTest) does not make it forget a real user's failures.
 */
class LoginThrottleTest {

    private static final String ATTACKER = "192.0.2.7";

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final LoginThrottle throttle = new LoginThrottle(5, 30, new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    });

    @Test
    void aFloodOfMadeUpNamesKeepsTheRealUsersDoubling() {
        for (int i = 0; i < 5; i++) {
            fail("ops");
        }
        assertThat(throttle.waitSeconds("ops", ATTACKER)).isEqualTo(30);
        now.addAndGet(31_000);
        assertThat(throttle.waitSeconds("ops", ATTACKER)).isZero();

        // more names than the throttle tracks, one failure each
        for (int i = 0; i < 12_000; i++) {
            fail("made-up-" + i);
        }
        fail("ops");
        // the sixth failure doubles the lock
        assertThat(throttle.waitSeconds("ops", ATTACKER)).isEqualTo(60);
    }

    private void fail(String user) {
        UsernamePasswordAuthenticationToken attempt = UsernamePasswordAuthenticationToken.unauthenticated(user, "guess");
        attempt.setDetails(new WebAuthenticationDetails(ATTACKER, null));
        throttle.failed(new AuthenticationFailureBadCredentialsEvent(attempt, new BadCredentialsException("wrong")));
    }
}
