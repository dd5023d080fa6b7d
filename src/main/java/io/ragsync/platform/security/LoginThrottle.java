package io.ragsync.platform.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.security.web.authentication.www.BasicAuthenticationConverter;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Slows password guessing at the operator login: after {@code max-failures} failed logins of one user from one
 * address, that pair gets 429 with Retry-After for {@code lock-seconds}, doubling per further failure up to an hour;
 * a success clears it. Hand-written because Spring Security has no such limiter: it counts its authentication events.
 */
@Component
public class LoginThrottle {

    private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);
    private static final long MAX_LOCK_SECONDS = 3600;
    private static final int MAX_TRACKED = 10_000;
    private static final BasicAuthenticationConverter BASIC = new BasicAuthenticationConverter();

    private record Failures(int count, long lockedUntilMillis) {
    }

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int maxFailures;
    private final long lockSeconds;

    @Autowired
    public LoginThrottle(@Value("${app.security.login.max-failures:5}") int maxFailures,
                         @Value("${app.security.login.lock-seconds:30}") long lockSeconds) {
        this(maxFailures, lockSeconds, Clock.systemUTC());
    }

    LoginThrottle(int maxFailures, long lockSeconds, Clock clock) {
        this.maxFailures = maxFailures;
        this.lockSeconds = lockSeconds;
        this.clock = clock;
    }

    /** Seconds the user must still wait from this address, 0 when a login may be tried. */
    public long waitSeconds(String user, String address) {
        Failures f = failures.get(key(user, address));
        long left = f == null ? 0 : f.lockedUntilMillis() - clock.millis();
        return left <= 0 ? 0 : (left + 999) / 1000;
    }

    @EventListener
    public void failed(AbstractAuthenticationFailureEvent event) {
        String address = address(event.getAuthentication());
        if (address == null) {
            return;
        }
        if (failures.size() > MAX_TRACKED) {
            forgetLeastFailed();
        }
        String user = String.valueOf(event.getAuthentication().getName());
        Failures f = failures.merge(key(user, address), new Failures(1, 0), (old, one) -> {
            int count = old.count() + 1;
            long lock = 0;
            if (count >= maxFailures) {
                long seconds = Math.min(MAX_LOCK_SECONDS, lockSeconds << Math.min(20, count - maxFailures));
                lock = clock.millis() + seconds * 1000;
            }
            return new Failures(count, lock);
        });
        if (f.lockedUntilMillis() > 0) {
            LOG.warn("operator login locked after {} failed attempts from {} (user {}): next try in {} s",
                    f.count(), address, user, waitSeconds(user, address));
        }
    }

    @EventListener
    public void succeeded(AuthenticationSuccessEvent event) {
        String address = address(event.getAuthentication());
        if (address != null) {
            failures.remove(key(event.getAuthentication().getName(), address));
        }
    }

    /** Refuses login attempts (form POST /login, HTTP Basic) of a locked user and address before they are checked. */
    public OncePerRequestFilter filter() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                String user = attemptedUser(request);
                long wait = user == null ? 0 : waitSeconds(user, request.getRemoteAddr());
                if (wait > 0) {
                    response.setStatus(429);
                    response.setHeader("Retry-After", Long.toString(wait));
                    response.setContentType("application/json");
                    response.getOutputStream().write(("{\"error\":\"too_many_failed_logins\",\"message\":\"too many"
                            + " failed logins for this user from this address: try again in " + wait + " s\"}")
                            .getBytes(StandardCharsets.UTF_8));
                    return;
                }
                chain.doFilter(request, response);
            }
        };
    }

    /**
     * Makes room by forgetting the unlocked entries with the fewest failures, down to 90 % of MAX_TRACKED:
     * names made up by the thousand go first, a user's lock history (and so its doubling) stays.
     */
    private void forgetLeastFailed() {
        long now = clock.millis();
        List<Map.Entry<String, Failures>> forget = failures.entrySet().stream()
                .filter(e -> e.getValue().lockedUntilMillis() < now)
                .sorted(Comparator.comparingInt(e -> e.getValue().count()))
                .limit(Math.max(0, failures.size() - MAX_TRACKED * 9L / 10))
                .toList();
        // only entries still as they were seen: a failure counted meanwhile is kept
        forget.forEach(e -> failures.remove(e.getKey(), e.getValue()));
    }

    private static String attemptedUser(HttpServletRequest request) {
        try {
            // the same reading of HTTP Basic as the filter that checks the password
            UsernamePasswordAuthenticationToken basic = BASIC.convert(request);
            if (basic != null) {
                return basic.getName();
            }
        } catch (AuthenticationException unreadable) {
            return null;
        }
        return "POST".equals(request.getMethod()) && "/login".equals(request.getServletPath())
                ? request.getParameter("username") : null;
    }

    private static String address(Authentication authentication) {
        return authentication != null && authentication.getDetails() instanceof WebAuthenticationDetails d
                ? d.getRemoteAddress() : null;
    }

    private static String key(String user, String address) {
        // the name as the login matches it: the form's filter trims it, the user store ignores its case
        return user.trim().toLowerCase(Locale.ROOT) + "\u0000" + address;
    }
}
