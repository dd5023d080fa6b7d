package io.ragsync.platform.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.platform.api.ApiErrors;
import io.ragsync.ops.OpsSecurityConfiguration;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.csrf.CsrfFilter;

/**
 * Who may call {@code /api/**}: a state change needs a machine credential with its right or the operator's session
 * with its CSRF token; retrieval and push need their right; sync status and OpenAPI are public; the backoffice checks
 * its own admin token (BackofficeGuard). Authenticated before the body is read, bounded by {@link RequestLimits}
 * before anything parses it; refusals are JSON in the API family's shape.
 */
@Configuration
@EnableConfigurationProperties(SecuritySettings.class)
public class ApiSecurityConfiguration {

    private static final String OPERATOR = "ROLE_ops";

    @Bean
    ApiErrorResponses apiErrorResponses(ObjectMapper mapper, MeterRegistry meters) {
        return new ApiErrorResponses(mapper, meters);
    }

    @Bean
    RequestLimits requestLimits(ApiErrorResponses responses, SecuritySettings settings,
                                @Value("${app.push.max-request-bytes}") long pushBodyBytes) {
        SecuritySettings.Limits limits = settings.limits();
        List<RequestLimits.Family> families = List.of(
                new RequestLimits.Family("push", "/api/internal/", pushBodyBytes, limits.pushConcurrency()),
                new RequestLimits.Family("retrieval", "/api/retrieval", limits.retrievalBodyBytes(),
                        limits.retrievalConcurrency()),
                new RequestLimits.Family("backoffice", "/api/backoffice/", limits.backofficeBodyBytes(),
                        limits.backofficeConcurrency()),
                new RequestLimits.Family("api", "/api/", limits.defaultBodyBytes(), 0));
        long budget = Runtime.getRuntime().maxMemory() / 100 * Math.max(1, limits.bodyMemoryPercent());
        return new RequestLimits(families, new RequestLimits.Family("console", "/", limits.consoleBodyBytes(), 0),
                Math.max(budget, Math.max(pushBodyBytes, limits.consoleBodyBytes())), responses::refuse);
    }

    /** The limits run inside the security chains (after authentication), not also as a servlet filter before them. */
    @Bean
    FilterRegistrationBean<RequestLimits> requestLimitsOnlyInTheSecurityChains(RequestLimits limits) {
        FilterRegistrationBean<RequestLimits> registration = new FilterRegistrationBean<>(limits);
        registration.setEnabled(false);
        return registration;
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiCredentials credentials, UserTokens userTokens,
                                    RequestLimits limits, ApiErrorResponses responses) throws Exception {
        http.securityMatcher("/api/**");
        http.authorizeHttpRequests(auth -> auth
                // the routes answer on an async dispatch of the request that was authorized already
                .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                .requestMatchers(HttpMethod.GET, "/api/documents/*/sync-status", "/api/openapi.json").permitAll()
                .requestMatchers("/api/backoffice/**").permitAll()
                .requestMatchers("/api/internal/**").hasAuthority("right:push")
                .requestMatchers(HttpMethod.POST, "/api/retrieval").hasAuthority("right:retrieve")
                .requestMatchers(HttpMethod.GET, "/api/knowledge-bases").hasAuthority("right:retrieve")
                .requestMatchers(HttpMethod.POST, "/api/documents/*/sync").hasAnyAuthority("right:sync", OPERATOR)
                .requestMatchers(HttpMethod.POST, "/api/jobs/requeue").hasAnyAuthority("right:requeue", OPERATOR)
                .requestMatchers(HttpMethod.POST, "/api/jobs/*/release").hasAnyAuthority("right:requeue", OPERATOR)
                .requestMatchers(HttpMethod.POST, "/api/reconcile", "/api/lightrag/reconcile")
                        .hasAnyAuthority("right:reconcile", OPERATOR)
                .requestMatchers(HttpMethod.GET, "/api/reconcile/holds").hasAnyAuthority("right:reconcile", OPERATOR)
                .requestMatchers(HttpMethod.POST, "/api/reconcile/holds/*/approve")
                        .hasAnyAuthority("right:reconcile", OPERATOR)
                .requestMatchers(HttpMethod.GET, "/api/documents/*/deletion-proof").hasAnyAuthority("right:audit", OPERATOR)
                .anyRequest().denyAll());
        http.addFilterBefore(new ApiCallerFilter(credentials, userTokens), AnonymousAuthenticationFilter.class);
        http.addFilterAfter(limits, AuthorizationFilter.class);
        // a machine credential is sent per request; only the operator's console session is kept, and it needs CSRF
        http.sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.NEVER));
        http.csrf(csrf -> csrf
                .csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                .csrfTokenRequestHandler(new OpsSecurityConfiguration.SpaCsrfTokenRequestHandler())
                .requireCsrfProtectionMatcher(ApiSecurityConfiguration::browserSessionChange));
        http.exceptionHandling(e -> e
                .authenticationEntryPoint((request, response, denied) -> responses.refuse(request, response, 401,
                        "unauthorized", failure(request, "a credential is required: X-API-Key (or, for the push API, "
                                + ApiCallerFilter.PUSH_KEY_HEADER + ")")))
                .accessDeniedHandler((request, response, denied) -> {
                    if (denied instanceof CsrfException) {
                        responses.refuse(request, response, 403, "forbidden", "a valid CSRF token is required"
                                + " (the XSRF-TOKEN cookie sent back as X-XSRF-TOKEN)");
                    } else if (request.getAttribute(ApiCaller.ATTRIBUTE) == null
                            && request.getUserPrincipal() == null) {
                        responses.refuse(request, response, 401, "unauthorized", failure(request,
                                "a credential is required: X-API-Key"));
                    } else {
                        responses.refuse(request, response, 403, "forbidden",
                                "this credential lacks the right for this endpoint");
                    }
                }));
        return http.build();
    }

    /** A state change sent with the console's session cookie and no machine credential: a browser, so CSRF applies. */
    static boolean browserSessionChange(HttpServletRequest request) {
        return CsrfFilter.DEFAULT_CSRF_MATCHER.matches(request) && request.getRequestedSessionId() != null
                && request.getAttribute(ApiCaller.ATTRIBUTE) == null;
    }

    private static String failure(HttpServletRequest request, String otherwise) {
        Object reason = request.getAttribute(ApiCallerFilter.FAILURE);
        return reason != null ? reason.toString() : otherwise;
    }

    /** Refusals of the security layer in each API family's error shape (the push API keeps its own). */
    public record ApiErrorResponses(ObjectMapper mapper, MeterRegistry meters) {

        public void refuse(HttpServletRequest request, HttpServletResponse response, int status, String error,
                           String message) throws IOException {
            if (response.isCommitted()) {
                return;
            }
            String path = request.getRequestURI().substring(request.getContextPath().length());
            String family = path.startsWith("/api/internal/") ? "push" : path.startsWith("/api/") ? "api" : "console";
            meters.counter("ragsync.http.refusals", "family", family, "status", Integer.toString(status),
                    "reason", error).increment();
            String body = mapper.writeValueAsString(ApiErrors.shapeFor(path, status, error, message));
            response.setStatus(status);
            response.setContentType("application/json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        }
    }
}
