package io.ragsync.sources.rest;

import java.util.Locale;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Server-side secrets of REST sources: {@code app.rest.secrets.<provider>} (environment variable
 * {@code APP_REST_SECRETS_<PROVIDER>}). A secret is read at fetch time, put only on the outgoing request's
 * headers, and never stored, logged or returned.
 */
@Component("restSecrets")
public class RestSecrets {

    private final Environment environment;

    public RestSecrets(Environment environment) {
        this.environment = environment;
    }

    public boolean has(String provider) {
        String value = lookup(provider);
        return value != null && !value.isBlank();
    }

    /** The secret of the provider; a clear error (naming the key, not the value) when it is not set. */
    public String get(String provider) {
        String value = lookup(provider);
        if (value == null || value.isBlank()) {
            throw new RestSourceException("no secret for provider '" + provider + "': set app.rest.secrets." + provider
                    + " (environment variable " + envName(provider) + ")", null);
        }
        return value;
    }

    private String lookup(String provider) {
        if (provider == null || provider.isBlank()) {
            return null;
        }
        return environment.getProperty("app.rest.secrets." + provider);
    }

    static String envName(String provider) {
        return "APP_REST_SECRETS_" + provider.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }
}
