package io.ragsync.targets.ragflow;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who may read a RAGFlow document: tokens {@code <tenant or *>/<role or *>} of meta_fields {@value #KEY} that one
 * {@code in} condition matches; percent-encoded, so neither RAGFlow's list separators ({@code 、 , ， ; ； |}) nor
 * {@code / *} in a name can split or forge a token.
 */
public final class RagflowAccess {

    public static final String KEY = "access";

    private static final String ANY = "*";

    private RagflowAccess() {
    }

    /** The grants of a document: its tenant (null: every tenant) with each allowed role (none: every role). */
    public static List<String> grants(String tenant, Collection<String> roles) {
        String t = tenant == null ? ANY : encode(tenant);
        if (roles == null || roles.isEmpty()) {
            return List.of(t + "/" + ANY);
        }
        return roles.stream().map(r -> t + "/" + encode(r)).distinct().toList();
    }

    /** The tokens a caller may read: its tenant's and untenanted ones (tenant null: only those), each role and *. */
    public static List<String> readable(String tenant, Collection<String> roles) {
        Set<String> tokens = new LinkedHashSet<>();
        // an encoded tenant is never ANY: encode() escapes '*'
        for (String t : tenant == null ? List.of(ANY) : List.of(encode(tenant), ANY)) {
            for (String r : roles) {
                tokens.add(t + "/" + encode(r));
            }
            tokens.add(t + "/" + ANY);
        }
        return new ArrayList<>(tokens);
    }

    /** The caller's metadata_condition with ours appended; only "and" logic, as any other could lift ours. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> condition(Map<String, Object> callerCondition, String tenant,
                                                Collection<String> roles) {
        Map<String, Object> ours = Map.of("name", KEY, "comparison_operator", "in", "value", readable(tenant, roles));
        List<Object> conditions = new ArrayList<>();
        if (callerCondition != null) {
            Object logic = callerCondition.getOrDefault("logic", "and");
            if (!"and".equalsIgnoreCase(String.valueOf(logic))) {
                throw new IllegalArgumentException("metadata_condition.logic must be \"and\" on a RAGFlow knowledge base:"
                        + " the hub adds the caller's access condition to it");
            }
            Object given = callerCondition.get("conditions");
            if (given instanceof List<?> list) {
                conditions.addAll(list);
            }
        }
        conditions.add(ours);
        return RagflowRequests.fields("logic", "and", "conditions", conditions);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("*", "%2A");
    }
}
