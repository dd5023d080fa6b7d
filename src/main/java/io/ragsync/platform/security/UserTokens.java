package io.ragsync.platform.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.lang3.StringUtils;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.stereotype.Component;

/**
 * The end-user JWT a trusted caller presents when it acts for one of its users: HS256 secret or the issuer's JWKS,
 * expiry and (when configured) issuer and audience checked; its tenant and roles become the caller's. Without a secret
 * or JWKS no token is accepted.
 */
@Component
public class UserTokens {

    public record EndUser(String subject, String tenant, Set<String> roles) {
    }

    private final JwtDecoder decoder;
    private final String tenantClaim;
    private final String rolesClaim;

    public UserTokens(SecuritySettings settings) {
        SecuritySettings.UserToken config = Objects.requireNonNullElse(settings.userToken(),
                new SecuritySettings.UserToken(null, null, null, null, null, null));
        String issuer = StringUtils.strip(config.issuer());
        String audience = StringUtils.strip(config.audience());
        this.tenantClaim = Objects.requireNonNullElse(config.tenantClaim(), "tenant");
        this.rolesClaim = Objects.requireNonNullElse(config.rolesClaim(), "roles");
        NimbusJwtDecoder nimbus;
        if (StringUtils.isNotBlank(config.jwksUri())) {
            nimbus = NimbusJwtDecoder.withJwkSetUri(config.jwksUri().strip()).build();
        } else if (StringUtils.isNotBlank(config.secret())) {
            byte[] key = config.secret().strip().getBytes(StandardCharsets.UTF_8);
            if (key.length < 32) {
                throw new IllegalStateException("app.security.user-token.secret must be at least 32 bytes (HS256)");
            }
            nimbus = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(key, "HmacSHA256"))
                    .macAlgorithm(MacAlgorithm.HS256).build();
        } else {
            this.decoder = null;
            return;
        }
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>(List.of(StringUtils.isBlank(issuer)
                ? JwtValidators.createDefault() : JwtValidators.createDefaultWithIssuer(issuer)));
        if (StringUtils.isNotBlank(audience)) {
            validators.add(new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                    aud -> aud != null && aud.contains(audience)));
        }
        nimbus.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        this.decoder = nimbus;
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
