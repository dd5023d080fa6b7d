package io.ragsync.sources.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ragsync.platform.api.ApiException;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class BackofficeGuardTest {

    private final MockEnvironment env = new MockEnvironment().withProperty("app.backoffice.admin-token", "s3cret-token");
    private final BackofficeGuard guard = new BackofficeGuard(env);

    private Exchange request(String authorization, String token, String role) {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        if (authorization != null) {
            e.getMessage().setHeader("Authorization", authorization);
        }
        if (token != null) {
            e.getMessage().setHeader("X-Admin-Token", token);
        }
        if (role != null) {
            e.getMessage().setHeader("X-Ragsync-Role", role);
        }
        return e;
    }

    private int status(Exchange e) {
        try {
            guard.check(e);
            return 200;
        } catch (ApiException x) {
            return x.getStatus();
        }
    }

    @Test
    void tokenThenRole() {
        assertThat(status(request(null, null, "platform-admin"))).isEqualTo(401);
        assertThat(status(request("Bearer wrong", null, "platform-admin"))).isEqualTo(401);
        assertThat(status(request("Basic s3cret-token", null, "platform-admin"))).isEqualTo(401);
        assertThat(status(request("Bearer s3cret-token", null, null))).isEqualTo(403);
        assertThat(status(request("Bearer s3cret-token", null, "tenant-admin"))).isEqualTo(403);
        assertThat(status(request("Bearer s3cret-token", null, "viewer, Platform-Admin"))).isEqualTo(200);
        assertThat(status(request(null, "s3cret-token", "platform-admin"))).isEqualTo(200);
    }

    @Test
    void credentialsAreRemovedFromTheMessage() {
        Exchange e = request("Bearer s3cret-token", null, "platform-admin");
        e.getMessage().setHeader("Cookie", "session=1");
        guard.check(e);
        assertThat(e.getMessage().getHeaders()).doesNotContainKeys("Authorization", "X-Ragsync-Role", "Cookie");
    }

    @Test
    void noConfiguredTokenMeansNobodyGetsIn() {
        BackofficeGuard closed = new BackofficeGuard(new MockEnvironment());
        assertThatThrownBy(() -> closed.check(request("Bearer ", null, "platform-admin")))
                .isInstanceOf(ApiException.class).hasMessageContaining("no admin token is configured");
        env.setProperty("app.backoffice.admin-token", "rotated");
        assertThat(status(request("Bearer s3cret-token", null, "platform-admin"))).isEqualTo(401);
        assertThat(status(request("Bearer rotated", null, "platform-admin"))).isEqualTo(200);
    }
}
