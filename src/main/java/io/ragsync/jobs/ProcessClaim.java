package io.ragsync.jobs;

import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * This process's claim token, written beside the instance name on every job and REST source it claims. The
 * instance name survives a restart (a fixed RAGSYNC_INSTANCE_ID, a pod's name), the token does not: the heartbeat
 * renews only the leases of this token, so an earlier process's claims run out or are returned at start.
 */
@Component("processClaim")
public class ProcessClaim {

    private final String token = UUID.randomUUID().toString();

    public String token() {
        return token;
    }
}
