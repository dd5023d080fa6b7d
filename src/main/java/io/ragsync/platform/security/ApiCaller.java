package io.ragsync.platform.security;

import java.util.Set;

/**
 * Who calls the HTTP API as the hub established it, never as the request says: credential name, the tenant and roles
 * whose chunks it may see, its rights, the end user it acts for (or null). Tenant {@code *} is platform-wide and sees
 * only untenanted chunks unless it acts for a user. Held by the request attribute {@link #ATTRIBUTE}, never a header.
 */
public record ApiCaller(String name, String tenant, Set<String> roles, Set<String> rights, boolean actsForUsers,
                        String endUser) {

    /** The request attribute that carries the authenticated caller to the routes. */
    public static final String ATTRIBUTE = ApiCaller.class.getName();

    public static final String ANY_TENANT = "*";

    /** The rights a credential can hold; each opens one family of endpoints. */
    public static final Set<String> RIGHTS = Set.of("push", "retrieve", "sync", "requeue", "reconcile", "audit");

    public ApiCaller {
        roles = Set.copyOf(roles);
        rights = Set.copyOf(rights);
    }

    /** The same caller acting for a verified end user: the user's tenant and roles replace the credential's. */
    public ApiCaller actingFor(UserTokens.EndUser user) {
        return new ApiCaller(name, user.tenant(), user.roles(), rights, false, user.subject());
    }

    /** The tenant whose chunks a retrieval may see: null for a platform-wide caller (untenanted chunks only). */
    public String retrievalTenant() {
        return ANY_TENANT.equals(tenant) ? null : tenant;
    }
}
