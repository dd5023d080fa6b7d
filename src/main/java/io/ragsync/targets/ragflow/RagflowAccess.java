package io.ragsync.targets.ragflow;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who may read a RAGFlow document, as single tokens of its meta_fields key {@value #KEY} that one {@code in}
 * condition matches: {@code <tenant or *>/<role or *>} for each allowed role ({@code *}: no role restriction, or
 * no tenant). Tenants and roles are percent-encoded, so neither RAGFlow's list separators ({@code 、 , ， ; ； |})
 * nor {@code / *} of a name can split or forge a token.
 */
public final class RagflowAccess {

    /** The meta_fields key holding the grants. */
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

    /**
     * The tokens a caller may read: its tenant's and the untenanted ones, each for its roles and for no role
     * restriction. A platform-wide caller (tenant null) reads untenanted documents only.
     */
    public static List<String> readable(String tenant, Collection<String> roles) {
        Set<String> tenants = new LinkedHashSet<>();
        if (tenant != null) {
            tenants.add(encode(tenant));
        }
        tenants.add(ANY);
        Set<String> tokens = new LinkedHashSet<>();
        for (String t : tenants) {
            for (String r : roles) {
                tokens.add(t + "/" + encode(r));
            }
            tokens.add(t + "/" + ANY);
        }
        return new ArrayList<>(tokens);
    }

    /**
     * The retrieval metadata_condition: the caller's, when it is a logic "and" (ours appended), else ours alone;
     * any other logic could lift ours, so it is refused.
     */
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
        Map<String, Object> condition = new LinkedHashMap<>();
        condition.put("logic", "and");
        condition.put("conditions", conditions);
        return condition;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("*", "%2A");
    }
}
