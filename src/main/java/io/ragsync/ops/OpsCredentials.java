package io.ragsync.ops;

import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The operator account of the console (app.ops.user / app.ops.password, env OPS_USER / OPS_PASSWORD). Without a
 * configured password one is generated for this run; {@link #generated()} tells which, so only a generated
 * password is ever shown (once, in the start-up log), never a configured one.
 */
@Component
public class OpsCredentials {

    private final String user;
    private final String password;
    private final boolean generated;

    public OpsCredentials(@Value("${app.ops.user:ops}") String user, @Value("${app.ops.password:}") String password) {
        this.user = user == null || user.isBlank() ? "ops" : user.strip();
        String configured = password == null ? "" : password.strip();
        this.generated = configured.isEmpty();
        this.password = generated ? randomPassword() : configured;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public boolean generated() {
        return generated;
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "OpsCredentials[" + user + ", password " + (generated ? "generated" : "configured") + "]";
    }
}
