package io.ragsync.platform.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.stereotype.Component;

/**
 * The signed end-user tokens a trusted caller presents when it acts for one of its users: a JWT verified by Spring
 * Security's Nimbus decoder, with a shared HMAC secret ({@code app.security.user-token.secret}, HS256) or the
 * issuer's keys ({@code app.security.user-token.jwks-uri}); expiry, and issuer and audience when configured, are
 * checked. The token's tenant and roles claims become the caller's for that request. Without either setting no
 * token is accepted.
 */
@Component
public class UserTokens {

    /** A verified end user: subject, tenant and roles. */
    public record EndUser(String subject, String tenant, Set<String> roles) {
    }

    private final JwtDecoder decoder;
    private final String tenantClaim;
    private final String rolesClaim;

    public UserTokens(SecuritySettings settings) {
        SecuritySettings.UserToken config = settings.userToken() != null ? settings.userToken()
                : new SecuritySettings.UserToken(null, null, null, null, null, null);
        String secret = blankIfNull(config.secret());
        String jwksUri = blankIfNull(config.jwksUri());
        String issuer = blankIfNull(config.issuer());
        String audience = blankIfNull(config.audience());
        this.tenantClaim = config.tenantClaim() == null ? "tenant" : config.tenantClaim();
        this.rolesClaim = config.rolesClaim() == null ? "roles" : config.rolesClaim();
        NimbusJwtDecoder nimbus;
        if (!jwksUri.isBlank()) {
            nimbus = NimbusJwtDecoder.withJwkSetUri(jwksUri).build();
        } else if (!secret.isBlank()) {
            byte[] key = secret.getBytes(StandardCharsets.UTF_8);
            if (key.length < 32) {
                throw new IllegalStateException("app.security.user-token.secret must be at least 32 bytes (HS256)");
            }
            nimbus = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(key, "HmacSHA256"))
                    .macAlgorithm(MacAlgorithm.HS256).build();
        } else {
            this.decoder = null;
            return;
        }
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(issuer.isBlank() ? JwtValidators.createDefault() : JwtValidators.createDefaultWithIssuer(issuer));
        if (!audience.isBlank()) {
            validators.add(jwt -> jwt.getAudience() != null && jwt.getAudience().contains(audience)
                    ? OAuth2TokenValidatorResult.success()
                    : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "wrong audience", null)));
        }
        nimbus.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        this.decoder = nimbus;
    }

    private static String blankIfNull(String value) {
        return value == null ? "" : value.strip();
    }

    public boolean enabled() {
        return decoder != null;
    }

    /** The verified user of a token; an IllegalArgumentException names what is wrong with it. */
    public EndUser verify(String token) {
        if (decoder == null) {
            throw new IllegalArgumentException("no user tokens are accepted: app.security.user-token is not configured");
        }
        Jwt jwt;
        try {
            jwt = decoder.decode(token);
        } catch (JwtException e) {
            throw new IllegalArgumentException("the user token is not valid");
        }
        Object tenant = jwt.getClaims().get(tenantClaim);
        if (!(tenant instanceof String t) || t.isBlank() || ApiCaller.ANY_TENANT.equals(t)) {
            throw new IllegalArgumentException("the user token has no " + tenantClaim + " claim");
        }
        Object roles = jwt.getClaims().get(rolesClaim);
        Set<String> roleSet = roles instanceof Collection<?> c
                ? Set.copyOf(c.stream().map(String::valueOf).toList())
                : roles instanceof String s && !s.isBlank() ? Set.of(s.split("[ ,]+")) : Set.of();
        return new EndUser(jwt.getSubject(), t, roleSet);
    }
}
