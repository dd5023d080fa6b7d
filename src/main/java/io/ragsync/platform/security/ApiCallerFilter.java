package io.ragsync.platform.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.stream.Stream;
import org.apache.commons.lang3.StringUtils;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates machine callers of {@code /api/**} before any body is read: the key in {@code X-API-Key},
 * {@code Authorization: Bearer rsk_…} or {@code X-Odoo-API-Key}, plus, for a credential trusted to act for users, the
 * user's {@code Bearer <JWT>}. A valid caller gets an authority per right; an invalid key leaves the request
 * anonymous with the reason kept for the 401, so public endpoints ignore credentials they don't use.
 */
public class ApiCallerFilter extends OncePerRequestFilter {

    /** Request attribute: why the presented credential was not accepted (for the 401/403 answer). */
    public static final String FAILURE = ApiCallerFilter.class.getName() + ".failure";
    public static final String KEY_HEADER = "X-API-Key";
    public static final String PUSH_KEY_HEADER = "X-Odoo-API-Key";

    private final ApiCredentials credentials;
    private final UserTokens userTokens;

    public ApiCallerFilter(ApiCredentials credentials, UserTokens userTokens) {
        this.credentials = credentials;
        this.userTokens = userTokens;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String bearer = bearer(request);
        String key = first(request.getHeader(KEY_HEADER), request.getHeader(PUSH_KEY_HEADER),
                bearer != null && bearer.startsWith("rsk_") ? bearer : null);
        String userToken = bearer != null && !bearer.startsWith("rsk_") && bearer.chars().filter(c -> c == '.').count() == 2
                ? bearer : null;
        if (key != null || userToken != null) {
            try {
                ApiCaller caller = caller(key, userToken);
                request.setAttribute(ApiCaller.ATTRIBUTE, caller);
                var context = SecurityContextHolder.createEmptyContext();
                context.setAuthentication(new PreAuthenticatedAuthenticationToken(caller, null,
                        caller.rights().stream().map(r -> new SimpleGrantedAuthority("right:" + r)).toList()));
                SecurityContextHolder.setContext(context);
            } catch (IllegalArgumentException refused) {
                request.setAttribute(FAILURE, refused.getMessage());
            }
        }
        chain.doFilter(request, response);
    }

    private ApiCaller caller(String key, String userToken) {
        if (key == null) {
            throw new IllegalArgumentException("a user token is accepted only with the caller's own key in "
                    + KEY_HEADER);
        }
        ApiCaller caller = credentials.authenticate(key).orElseThrow(
                () -> new IllegalArgumentException("the API key is not valid (unknown, revoked or expired)"));
        if (userToken == null) {
            return caller;
        }
        if (!caller.actsForUsers()) {
            throw new IllegalArgumentException("credential " + caller.name() + " may not act for users");
        }
        UserTokens.EndUser user = userTokens.verify(userToken);
        if (!ApiCaller.ANY_TENANT.equals(caller.tenant()) && !caller.tenant().equals(user.tenant())) {
            throw new IllegalArgumentException("the user token's tenant is not the credential's");
        }
        return caller.actingFor(user);
    }

    private static String bearer(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String value = authorization.substring(7).strip();
            return value.isEmpty() ? null : value;
        }
        return null;
    }

    private static String first(String... values) {
        return Stream.of(values).filter(StringUtils::isNotBlank).map(String::strip).findFirst().orElse(null);
    }
}
