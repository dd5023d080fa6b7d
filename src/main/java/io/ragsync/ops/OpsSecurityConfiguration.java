package io.ragsync.ops;

import java.util.function.Supplier;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.csrf.CsrfTokenRequestHandler;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;
import org.springframework.util.StringUtils;

/**
 * Who may see and act on the operations surface. Only the operator surfaces need a login: the dashboard
 * ({@code /ops/**}), Hawtio and Jolokia ({@code /actuator/hawtio}, {@code /actuator/jolokia}, also
 * {@code /hawtio/**} and {@code /jolokia/**}) and every other actuator endpoint. Health (for probes) and, unless
 * {@code app.ops.security.public-prometheus=false}, the Prometheus scrape stay open, and so does everything
 * else (the product's JSON APIs under {@code /api/**} are called by backends without a console login).
 * <p>
 * One operator account: {@code app.ops.user} / {@code app.ops.password} (env {@code OPS_USER} /
 * {@code OPS_PASSWORD}). Without a password a random one is generated for this run and logged once, with how
 * to set one; a configured password is never logged.
 */
@Configuration
@EnableWebSecurity
public class OpsSecurityConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(OpsSecurityConfiguration.class);

    /** Paths that need the operator login (Ant patterns). */
    static final String[] SECURED = {"/ops", "/ops/**", "/hawtio/**", "/jolokia/**", "/actuator/**"};

    private static final java.util.regex.Pattern JOLOKIA = java.util.regex.Pattern.compile("/jolokia(?=/|$)");

    @Bean
    SecurityFilterChain opsSecurity(HttpSecurity http,
                                    @Value("${app.ops.security.public-prometheus:true}") boolean publicPrometheus)
            throws Exception {
        http.authorizeHttpRequests(auth -> {
            auth.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll();
            if (publicPrometheus) {
                auth.requestMatchers("/actuator/prometheus").permitAll();
            }
            // Jolokia changes state only over POST, where the CSRF token is checked (jolokia-access.xml)
            auth.requestMatchers(OpsSecurityConfiguration::isJolokiaGetThatChangesState).denyAll();
            auth.requestMatchers(SECURED).authenticated();
            auth.anyRequest().permitAll();
        });
        http.formLogin(Customizer.withDefaults());
        http.httpBasic(Customizer.withDefaults());
        http.logout(Customizer.withDefaults());
        // Hawtio (a single-page app) reads the token from the XSRF-TOKEN cookie and sends it back as a header;
        // the product's JSON APIs keep working for backends without a session or a token
        http.csrf(csrf -> csrf
                .csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                .csrfTokenRequestHandler(new SpaCsrfTokenRequestHandler())
                .ignoringRequestMatchers("/api/**"));
        return http.build();
    }

    /** A GET (or HEAD) whose Jolokia command, from the path or the {@code p} parameter, is not a read. */
    static boolean isJolokiaGetThatChangesState(HttpServletRequest request) {
        java.util.regex.Matcher jolokia = JOLOKIA.matcher(request.getRequestURI());
        if ("POST".equals(request.getMethod()) || "OPTIONS".equals(request.getMethod()) || !jolokia.find()) {
            return false;
        }
        String path = request.getParameter("p") != null ? request.getParameter("p")
                : request.getRequestURI().substring(jolokia.end());
        String command = path.replaceFirst("^/+", "").split("/", 2)[0].toLowerCase(java.util.Locale.ROOT);
        return !java.util.Set.of("", "read", "list", "search", "version").contains(command);
    }

    @Bean
    UserDetailsService opsUsers(OpsCredentials credentials) {
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        if (credentials.generated()) {
            LOG.warn("No OPS_PASSWORD set: the operator console (/ops, /actuator/hawtio) accepts user '{}' with the"
                    + " password generated for this run: {}  Set OPS_USER / OPS_PASSWORD (app.ops.user /"
                    + " app.ops.password) to choose the credentials.", credentials.user(), credentials.password());
        }
        // roles: "admin" and "viewer" are the ones Hawtio's RBAC knows
        return new InMemoryUserDetailsManager(User.withUsername(credentials.user())
                .password(encoder.encode(credentials.password())).roles("admin", "viewer", "ops").build());
    }

    /** Accepts the token from the X-XSRF-TOKEN header as-is (SPA) and a masked one from forms. */
    static final class SpaCsrfTokenRequestHandler extends CsrfTokenRequestAttributeHandler {
        private final CsrfTokenRequestHandler delegate = new XorCsrfTokenRequestAttributeHandler();

        @Override
        public void handle(HttpServletRequest request, HttpServletResponse response, Supplier<CsrfToken> csrfToken) {
            delegate.handle(request, response, csrfToken);
            // load the deferred token so the XSRF-TOKEN cookie is written for the single-page apps
            csrfToken.get().getToken();
        }

        @Override
        public String resolveCsrfTokenValue(HttpServletRequest request, CsrfToken csrfToken) {
            if (StringUtils.hasText(request.getHeader(csrfToken.getHeaderName()))) {
                return super.resolveCsrfTokenValue(request, csrfToken);
            }
            return delegate.resolveCsrfTokenValue(request, csrfToken);
        }
    }
}
