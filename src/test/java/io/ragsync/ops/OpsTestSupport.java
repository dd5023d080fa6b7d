package io.ragsync.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragsync.support.HubTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;

/** The shared hub context plus HTTP clients for the ops endpoints: anonymous, and with the operator's login. */
public abstract class OpsTestSupport extends HubTestSupport {

    protected final ObjectMapper mapper = new ObjectMapper();
    @Autowired
    protected OpsCredentials credentials;
    protected OpsHttp anonymous;
    protected OpsHttp operator;

    @BeforeEach
    void opsClients() {
        anonymous = OpsHttp.anonymous(port);
        operator = OpsHttp.as(port, credentials.user(), credentials.password());
    }
}
