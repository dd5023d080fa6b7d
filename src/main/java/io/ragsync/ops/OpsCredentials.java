package io.ragsync.ops;

import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/** The console's operator account; without a configured password one is generated, so only that one is ever shown. */
@Component
public record OpsCredentials(String user, String password, boolean generated) {

    @Autowired
    public OpsCredentials(@Value("${app.ops.user:ops}") String user, @Value("${app.ops.password:}") String password) {
        this(StringUtils.hasText(user) ? user.strip() : "ops",
                StringUtils.hasText(password) ? password.strip() : randomPassword(), !StringUtils.hasText(password));
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    // never the password itself
    @Override
    public String toString() {
        return "OpsCredentials[" + user + ", password " + (generated ? "generated" : "configured") + "]";
    }
}
