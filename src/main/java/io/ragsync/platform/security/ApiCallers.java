package io.ragsync.platform.security;

import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.springframework.stereotype.Component;

/** The caller {@link ApiCallerFilter} authenticated for this request (a request attribute, never a header or body). */
@Component("apiCallers")
public class ApiCallers {

    /** The authenticated caller of the request, or null when it came without one (an operator session, a timer). */
    public ApiCaller current(Exchange exchange) {
        if (exchange.getIn() instanceof PlatformHttpMessage http && http.getRequest() != null
                && http.getRequest().getAttribute(ApiCaller.ATTRIBUTE) instanceof ApiCaller caller) {
            return caller;
        }
        return null;
    }

    /** The caller, which must hold the right; otherwise a SecurityException (the security layer let it through). */
    public ApiCaller require(Exchange exchange, String right) {
        ApiCaller caller = current(exchange);
        if (caller == null || !caller.rights().contains(right)) {
            throw new SecurityException("this request's credential lacks the right " + right);
        }
        return caller;
    }

    /** The tenant whose deletion proofs the caller may read: null for the operator or a platform-wide credential. */
    public String auditTenant(Exchange exchange) {
        return tenantActedFor(exchange, "audit");
    }

    /**
     * Whose documents' details (title, path, errors, job log) the caller of a public endpoint reads: its tenant's, all
     * ({@code *}) for a platform-wide credential, none (null) without a credential.
     */
    public String detailTenant(Exchange exchange) {
        ApiCaller caller = current(exchange);
        if (caller == null) {
            return null;
        }
        return caller.retrievalTenant() == null ? ApiCaller.ANY_TENANT : caller.retrievalTenant();
    }

    /**
     * The only tenant whose documents and jobs a caller holding {@code right} acts on: null for the operator (a
     * session, no credential) or a platform-wide credential.
     */
    public String tenantActedFor(Exchange exchange, String right) {
        ApiCaller caller = current(exchange);
        return caller == null ? null : require(exchange, right).retrievalTenant();
    }
}
