package io.ragsync.sources.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.ragsync.support.StubBehaviour;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A paginated external API on loopback, with real-looking data in every cursor style:
 * <ul>
 * <li>{@code GET /products?skip=&limit=} - offset/total like a products API: {products, total, skip, limit},
 *     with an ETag on the first page and 304 for a matching If-None-Match;</li>
 * <li>{@code GET /orders?cursor=&page_size=} - cursor in the body: {data, meta: {next_cursor}};</li>
 * <li>{@code GET /articles?page=&per_page=} - page numbers: {results, total_pages};</li>
 * <li>{@code GET /events?after=} - RFC 8288 Link header: {@code Link: <...>; rel="next"}.</li>
 * </ul>
 * Faults are added by tests as higher-priority WireMock stubs ({@link #wireMock()}).
 */
public final class RestApiStub {

    static final String LAST_MODIFIED = "Mon, 23 Nov 2026 08:00:00 GMT";
    private final WireMockServer server;
    private final ObjectMapper mapper = new ObjectMapper();
    private volatile List<Map<String, Object>> products = products(23);
    private volatile String productsEtag = "\"products-v1\"";

    public RestApiStub() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().extensions(new Api()));
        server.start();
        install();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    public WireMockServer wireMock() {
        return server;
    }

    public void reset() {
        server.resetAll();
        install();
        products = products(23);
        productsEtag = "\"products-v1\"";
    }

    public List<Map<String, Object>> products() {
        return products;
    }

    /** Adds products (a new version of the collection: the ETag changes). */
    public void addProducts(int count) {
        List<Map<String, Object>> more = new ArrayList<>(products);
        int start = more.size();
        for (int i = 1; i <= count; i++) {
            more.add(product(start + i));
        }
        products = more;
        productsEtag = "\"products-v" + more.size() + "\"";
    }

    public long requestCount(String pathPrefix) {
        return server.getAllServeEvents().stream()
                .filter(e -> URI.create(e.getRequest().getUrl()).getPath().startsWith(pathPrefix)).count();
    }

    private void install() {
        server.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withTransformers(Api.NAME)));
    }

    // ---- the data ---------------------------------------------------------------------------------------------

    static List<Map<String, Object>> products(int n) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            list.add(product(i));
        }
        return list;
    }

    private static final String[] BRANDS = {"Essence", "Glamour Beauty", "Velvet Touch", "Chic Cosmetics", "Nail Couture"};
    private static final String[] KINDS = {"Mascara", "Eyeshadow Palette", "Powder Canister", "Red Lipstick", "Nail Polish"};

    static Map<String, Object> product(int i) {
        String kind = KINDS[i % KINDS.length];
        String brand = BRANDS[(i / KINDS.length) % BRANDS.length];
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", i);
        p.put("title", brand + " " + kind + " No. " + i);
        p.put("description", "The " + kind.toLowerCase() + " number " + i + " by " + brand
                + " is long-lasting and cruelty-free. Batch code PRD-" + (1000 + i) + ".");
        p.put("price", 9.99 + i);
        p.put("tags", List.of("beauty", kind.toLowerCase().replace(' ', '-')));
        p.put("meta", Map.of("brand", brand, "barcode", String.valueOf(9_000_000 + i)));
        p.put("reviews", List.of(
                Map.of("rating", 5, "comment", "Great value, product " + i + " exceeded expectations", "reviewer", "Ann"),
                Map.of("rating", 3, "comment", "Decent, but the packaging of item " + i + " was damaged", "reviewer", "Bo")));
        return p;
    }

    static Map<String, Object> order(int i) {
        return Map.of("orderId", "ORD-" + (5000 + i), "customer", Map.of("name", "Customer " + i),
                "note", "Order " + i + " ships in " + (i % 3 + 1) + " days from the Lyon warehouse.");
    }

    static Map<String, Object> article(int i) {
        return Map.of("slug", "article-" + i, "headline", "Release notes part " + i,
                "body", List.of("Paragraph one of article " + i + ".", "Paragraph two of article " + i + " explains the upgrade."));
    }

    static Map<String, Object> event(int i) {
        return Map.of("id", "evt_" + i, "type", "invoice.paid", "summary", "Invoice INV-" + (700 + i) + " was paid in full.");
    }

    // ---- the API -------------------------------------------------------------------------------------------

    private final class Api extends StubBehaviour {
        static final String NAME = "paginated-api";

        Api() {
            super(NAME);
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            try {
                return handle(event.getRequest());
            } catch (Exception e) {
                return ResponseDefinitionBuilder.responseDefinition().withStatus(500).withBody(e.toString()).build();
            }
        }
    }

    private ResponseDefinition handle(Request request) throws Exception {
        URI uri = URI.create(request.getUrl());
        Map<String, String> q = query(uri.getRawQuery());
        return switch (uri.getPath()) {
            case "/products" -> productsPage(request, q);
            case "/orders" -> ordersPage(q);
            case "/articles" -> articlesPage(q);
            case "/events" -> eventsPage(q);
            default -> ResponseDefinitionBuilder.responseDefinition().withStatus(404).withBody("{\"message\":\"not found\"}").build();
        };
    }

    private ResponseDefinition productsPage(Request request, Map<String, String> q) throws Exception {
        int skip = Integer.parseInt(q.getOrDefault("skip", "0"));
        int limit = Integer.parseInt(q.getOrDefault("limit", "30"));
        List<Map<String, Object>> all = products;
        String etag = productsEtag;
        if (skip == 0 && (etag.equals(request.getHeader("If-None-Match"))
                || LAST_MODIFIED.equals(request.getHeader("If-Modified-Since")))) {
            return ResponseDefinitionBuilder.responseDefinition().withStatus(304).withHeader("ETag", etag).build();
        }
        List<Map<String, Object>> page = all.subList(Math.min(skip, all.size()), Math.min(skip + limit, all.size()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("products", page);
        body.put("total", all.size());
        body.put("skip", skip);
        body.put("limit", limit);
        ResponseDefinitionBuilder r = json(body);
        if (skip == 0) {
            r = r.withHeader("ETag", etag).withHeader("Last-Modified", LAST_MODIFIED);
        }
        return r.build();
    }

    private ResponseDefinition ordersPage(Map<String, String> q) throws Exception {
        int size = Integer.parseInt(q.getOrDefault("page_size", "10"));
        int from = q.containsKey("cursor") ? Integer.parseInt(new String(java.util.Base64.getUrlDecoder()
                .decode(q.get("cursor"))).substring("after:".length())) : 0;
        int total = 12;
        List<Object> data = new ArrayList<>();
        for (int i = from + 1; i <= Math.min(total, from + size); i++) {
            data.add(order(i));
        }
        int last = from + data.size();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("next_cursor", last < total
                ? java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(("after:" + last).getBytes()) : null);
        return json(Map.of("data", data, "meta", meta)).build();
    }

    private ResponseDefinition articlesPage(Map<String, String> q) throws Exception {
        int page = Integer.parseInt(q.getOrDefault("page", "1"));
        int per = Integer.parseInt(q.getOrDefault("per_page", "4"));
        int total = 10;
        List<Object> results = new ArrayList<>();
        for (int i = (page - 1) * per + 1; i <= Math.min(total, page * per); i++) {
            results.add(article(i));
        }
        return json(Map.of("results", results, "page", page, "total_pages", (total + per - 1) / per)).build();
    }

    private ResponseDefinition eventsPage(Map<String, String> q) throws Exception {
        int after = Integer.parseInt(q.getOrDefault("after", "0"));
        int total = 7;
        int size = 3;
        List<Object> events = new ArrayList<>();
        for (int i = after + 1; i <= Math.min(total, after + size); i++) {
            events.add(event(i));
        }
        ResponseDefinitionBuilder r = json(Map.of("events", events));
        int last = after + events.size();
        String links = "</events?after=0>; rel=\"first\"";
        if (last < total) {
            links = "</events?after=" + last + ">; rel=\"next\", " + links;
        }
        return r.withHeader("Link", links).build();
    }

    private ResponseDefinitionBuilder json(Object body) throws Exception {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(mapper.writeValueAsString(body));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                q.put(java.net.URLDecoder.decode(pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return q;
    }
}
