package io.ragsync.platform.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** The operator's security settings ({@code app.security.*} in application.yaml), bound once. */
@ConfigurationProperties("app.security")
public record SecuritySettings(UserToken userToken, Limits limits) {

    /** How end-user tokens are verified: a shared HS256 secret or the issuer's JWKS URL. */
    public record UserToken(String secret, String jwksUri, String issuer, String audience, String tenantClaim,
                            String rolesClaim) {
    }

    /** Body limits per endpoint family (bytes), concurrency caps, and the share of the heap bodies may hold. */
    public record Limits(long retrievalBodyBytes, long backofficeBodyBytes, long defaultBodyBytes,
                         long consoleBodyBytes, int retrievalConcurrency, int pushConcurrency,
                         int backofficeConcurrency, int bodyMemoryPercent) {
    }
}
