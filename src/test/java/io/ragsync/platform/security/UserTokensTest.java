package io.ragsync.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A user token is accepted only with the configured issuer and audience, and its tenant and roles are read. */
class UserTokensTest {

    private static final String SECRET = "a-shared-secret-of-at-least-32-bytes!";

    private final UserTokens tokens = new UserTokens(new SecuritySettings(new SecuritySettings.UserToken(SECRET, null,
            "https://issuer.example", "ragsync", null, null), null));

    @Test
    void onlyTheConfiguredIssuerAndAudienceAreAccepted() throws Exception {
        UserTokens.EndUser user = tokens.verify(token("https://issuer.example", List.of("other", "ragsync")));
        assertThat(user).isEqualTo(new UserTokens.EndUser("alice", "acme", Set.of("sales", "hr")));
        assertThat(tokens.verify(token("https://issuer.example", "ragsync")).tenant()).isEqualTo("acme");

        assertThatThrownBy(() -> tokens.verify(token("https://issuer.example", List.of("other"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.verify(token("https://issuer.example", null)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.verify(token("https://elsewhere.example", "ragsync")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withoutASecretOrKeysNoTokenIsAccepted() throws Exception {
        UserTokens none = new UserTokens(new SecuritySettings(null, null));
        assertThatThrownBy(() -> none.verify(token("https://issuer.example", "ragsync")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String token(String issuer, Object audience) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("alice").issuer(issuer)
                .claim("tenant", "acme").claim("roles", "sales, hr")
                .expirationTime(new Date(System.currentTimeMillis() + 300_000));
        if (audience instanceof String one) {
            claims.audience(one);
        } else if (audience instanceof List<?> many) {
            claims.audience(many.stream().map(String::valueOf).toList());
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
