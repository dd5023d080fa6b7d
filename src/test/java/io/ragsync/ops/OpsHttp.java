package io.ragsync.ops;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** HTTP calls to the hub for the ops tests, anonymous or with the operator's Basic credentials. No redirects. */
public final class OpsHttp {

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private final int port;
    private final String authorization;

    private OpsHttp(int port, String authorization) {
        this.port = port;
        this.authorization = authorization;
    }

    public static OpsHttp anonymous(int port) {
        return new OpsHttp(port, null);
    }

    public static OpsHttp as(int port, String user, String password) {
        return new OpsHttp(port, "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    public HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A POST the way Hawtio sends one: the XSRF-TOKEN cookie's value echoed in the X-XSRF-TOKEN header. */
    public HttpResponse<String> postJsonWithCsrf(String path, String json) throws IOException, InterruptedException {
        String token = get("/ops/api/overview").headers().allValues("Set-Cookie").stream()
                .filter(cookie -> cookie.startsWith("XSRF-TOKEN="))
                .map(cookie -> cookie.substring("XSRF-TOKEN=".length()).split(";", 2)[0])
                .findFirst().orElseThrow(() -> new IllegalStateException("no XSRF-TOKEN cookie"));
        return send(request(path).header("Content-Type", "application/json")
                .header("Cookie", "XSRF-TOKEN=" + token).header("X-XSRF-TOKEN", token)
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private static HttpResponse<String> send(HttpRequest.Builder builder) throws IOException, InterruptedException {
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }
}
