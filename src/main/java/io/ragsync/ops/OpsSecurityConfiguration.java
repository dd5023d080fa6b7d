package io.ragsync.ops;

import io.ragsync.platform.security.LoginThrottle;
import io.ragsync.platform.security.RequestLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
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
 * Who may use the operations surface: /ops, Hawtio, Jolokia and the actuator need the operator login (failed logins
 * throttled); health and, unless app.ops.security.public-prometheus=false, the Prometheus scrape stay open for probes.
 */
@Configuration
@EnableWebSecurity
public class OpsSecurityConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(OpsSecurityConfiguration.class);

    static final String[] SECURED = {"/ops", "/ops/**", "/hawtio/**", "/jolokia/**", "/actuator/**"};

    private static final java.util.regex.Pattern JOLOKIA = java.util.regex.Pattern.compile("/jolokia(?=/|$)");

    /**
     * Health, info, the Prometheus scrape (unless closed) and the backoffice page: open. The operator's Basic login
     * shows health details; its failures count towards the console's login throttle, which refuses it here too.
     */
    @Bean
    @Order(2)
    SecurityFilterChain publicEndpoints(HttpSecurity http, RequestLimits limits, UserDetailsService operators,
                                        LoginThrottle loginThrottle, AuthenticationEventPublisher loginEvents,
                                        @Value("${app.ops.security.public-prometheus:true}") boolean publicPrometheus)
            throws Exception {
        List<String> open = new ArrayList<>(List.of("/actuator/health", "/actuator/health/**", "/actuator/info",
                "/backoffice/**", "/error"));
        if (publicPrometheus) {
            open.add("/actuator/prometheus");
        }
        http.securityMatcher(open.toArray(String[]::new));
        http.authorizeHttpRequests(auth -> auth.anyRequest().permitAll());
        http.sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.NEVER));
        // the operator's Basic login shows health details; a wrong one is ignored (no entry point: no 401) but
        // counted: its failure event reaches the throttle, which refuses a locked user here as on the console
        ProviderManager login = new ProviderManager(new DaoAuthenticationProvider(operators));
        login.setAuthenticationEventPublisher(loginEvents);
        http.addFilterBefore(new BasicAuthenticationFilter(login), AuthorizationFilter.class);
        http.addFilterBefore(loginThrottle.filter(), BasicAuthenticationFilter.class);
        http.addFilterAfter(limits, AuthorizationFilter.class);
        return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain opsSecurity(HttpSecurity http, RequestLimits limits, LoginThrottle loginThrottle)
            throws Exception {
        http.authorizeHttpRequests(auth -> {
            auth.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll();
            // Jolokia changes state only over POST, where the CSRF token is checked (jolokia-access.xml)
            auth.requestMatchers(OpsSecurityConfiguration::isJolokiaGetThatChangesState).denyAll();
            auth.requestMatchers(SECURED).authenticated();
            auth.anyRequest().permitAll();
        });
        http.formLogin(Customizer.withDefaults());
        http.httpBasic(Customizer.withDefaults());
        http.logout(Customizer.withDefaults());
        http.addFilterBefore(loginThrottle.filter(), UsernamePasswordAuthenticationFilter.class);
        http.addFilterAfter(limits, AuthorizationFilter.class);
        // Hawtio (a single-page app) reads the token from the XSRF-TOKEN cookie and sends it back as a header
        http.csrf(csrf -> csrf
                .csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                .csrfTokenRequestHandler(new SpaCsrfTokenRequestHandler()));
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
    public static final class SpaCsrfTokenRequestHandler extends CsrfTokenRequestAttributeHandler {
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
