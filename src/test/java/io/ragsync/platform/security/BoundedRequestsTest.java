package io.ragsync.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.ragsync.platform.security.RequestLimits;
import io.ragsync.support.ChildHub;
import io.ragsync.support.IsolatedHubTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * Every HTTP entry bounds what a request may cost: bodies are limited while they are read (chunked ones too),
 * after authentication and before parsing; expensive endpoints and the body bytes held at once are capped.
 */
class BoundedRequestsTest {

    private static final int MB = 1024 * 1024;

    @Test
    void oversizedAndChunkedBodiesInParallelLeaveASmallHeapHubServing() throws Exception {
        Map<String, String> props = new HashMap<>(IsolatedHubTest.isolatedProperties("ragsync_bounded", "bounded-1", Map.of()));
        props.put("app.push.api-key", "bounded-push-key-0123456789");
        try (ChildHub hub = ChildHub.start(props).awaitStarted()) {
            int port = port(hub);
            // a declared oversized body is refused unread, in the API's JSON shape
            String declared = exchange(port, "POST /api/internal/document/1/embed", List.of("X-Odoo-API-Key: "
                    + "bounded-push-key-0123456789", "Content-Type: application/json", "Content-Length: " + 200L * MB), 0);
            assertThat(declared).startsWith("HTTP/1.1 413").contains("\"error\":\"payload_too_large\"");
            // anonymous: refused before a byte of the body is read
            assertThat(exchange(port, "POST /api/retrieval", List.of("Content-Type: application/json",
                    "Content-Length: " + 120L * MB), 0)).startsWith("HTTP/1.1 401");

            // six anonymous and six keyed 64 MB chunked bodies at once, against a 256 MB heap
            ExecutorService pool = Executors.newFixedThreadPool(12);
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(pool.submit(() -> exchange(port, "POST /api/retrieval",
                        List.of("Content-Type: application/json", "Transfer-Encoding: chunked"), 64)));
                answers.add(pool.submit(() -> exchange(port, "POST /api/internal/document/2/embed",
                        List.of("X-Odoo-API-Key: bounded-push-key-0123456789", "Content-Type: application/json",
                                "Transfer-Encoding: chunked"), 64)));
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
            for (Future<String> answer : answers) {
                // an answer (401, 413, 503) or a connection the hub closed after refusing; never a 500
                assertThat(answer.get()).matches("(?s)(HTTP/1.1 (401|413|503) .*|closed)");
            }
            assertThat(hub.process().isAlive()).isTrue();
            assertThat(exchange(port, "GET /actuator/health/liveness", List.of(), 0)).startsWith("HTTP/1.1 200");
            String small = "{\"chatbot_id\":1,\"content\":\"still serving\",\"metadata\":{\"filename\":\"s.txt\"}}";
            assertThat(exchange(port, "POST /api/internal/document/3/embed?async=true", List.of(
                    "X-Odoo-API-Key: bounded-push-key-0123456789", "Content-Type: application/json",
                    "Content-Length: " + small.getBytes(StandardCharsets.UTF_8).length), 0, small))
                    .matches("(?s)HTTP/1.1 20[02] .*");
            assertThat(Files.readString(hub.log().toPath())).doesNotContain("OutOfMemoryError");
        }
    }

    @Test
    void chunkedBodiesAreCutAtTheLimitAndExpensiveEndpointsAreCapped() throws Exception {
        List<String> refusals = new ArrayList<>();
        RequestLimits limits = new RequestLimits(List.of(new RequestLimits.Family("retrieval", "/api/retrieval", 1024, 2)),
                new RequestLimits.Family("console", "/", 1024, 0), 64 * 1024,
                (request, response, status, error, message) -> {
                    refusals.add(status + " " + error);
                    response.setStatus(status);
                });

        MockHttpServletRequest chunked = post("/api/retrieval", new byte[4096]);
        chunked.addHeader("Transfer-Encoding", "chunked");
        MockHttpServletResponse tooLarge = new MockHttpServletResponse();
        limits.doFilter(chunked, tooLarge, (req, res) -> {
            throw new AssertionError("a body over the limit reached the route");
        });
        assertThat(tooLarge.getStatus()).isEqualTo(413);

        // two retrievals hold the two places; a third is turned away with Retry-After, then served once one is free
        CountDownLatch holding = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        for (int i = 0; i < 2; i++) {
            holdRetrieval(pool, limits, holding, release);
        }
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        MockHttpServletResponse busy = new MockHttpServletResponse();
        limits.doFilter(post("/api/retrieval", "{}".getBytes(StandardCharsets.UTF_8)), busy, (req, res) -> {
            throw new AssertionError("a request past the cap reached the route");
        });
        assertThat(busy.getStatus()).isEqualTo(503);
        assertThat(busy.getHeader("Retry-After")).isNotNull();
        release.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        MockHttpServletResponse served = new MockHttpServletResponse();
        limits.doFilter(post("/api/retrieval", "{}".getBytes(StandardCharsets.UTF_8)), served, (req, res) -> { });
        assertThat(served.getStatus()).isEqualTo(200);
        assertThat(refusals).containsExactly("413 payload_too_large", "503 busy");
    }

    @Test
    void aPercentEncodedPathGetsTheLimitsOfThePathItIsRoutedTo() throws Exception {
        RequestLimits limits = new RequestLimits(List.of(
                new RequestLimits.Family("retrieval", "/api/retrieval", 1024, 1),
                new RequestLimits.Family("api", "/api/", 64 * 1024, 0)),
                new RequestLimits.Family("console", "/", 1024, 0), 256 * 1024,
                (request, response, status, error, message) -> response.setStatus(status));

        // over the retrieval family's body limit, within the API's
        MockHttpServletResponse tooLarge = new MockHttpServletResponse();
        limits.doFilter(encoded(post("/api/retrieval", new byte[4096])), tooLarge, (req, res) -> {
            throw new AssertionError("a body over the retrieval limit reached the route");
        });
        assertThat(tooLarge.getStatus()).isEqualTo(413);

        // the one retrieval place is taken: the encoded path waits like the plain one
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        holdRetrieval(pool, limits, holding, release);
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        MockHttpServletResponse busy = new MockHttpServletResponse();
        limits.doFilter(encoded(post("/api/retrieval", "{}".getBytes(StandardCharsets.UTF_8))), busy, (req, res) -> {
            throw new AssertionError("a retrieval past the cap reached the route");
        });
        release.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(busy.getStatus()).isEqualTo(503);
    }

    /** The request as Tomcat hands over {@code /api/r%65trieval}: the raw URI, the decoded servlet path. */
    private static MockHttpServletRequest encoded(MockHttpServletRequest request) {
        request.setRequestURI(request.getRequestURI().replace("retrieval", "r%65trieval"));
        return request;
    }

    /** A POST as Tomcat hands it to the filters behind the DispatcherServlet (mapped to /): the path in the servlet path. */
    /** A retrieval that holds one of the family's places until released. */
    private static void holdRetrieval(ExecutorService pool, RequestLimits limits, CountDownLatch holding,
                                      CountDownLatch release) {
        pool.submit(() -> {
            limits.doFilter(post("/api/retrieval", "{}".getBytes(StandardCharsets.UTF_8)), new MockHttpServletResponse(),
                    (req, res) -> {
                        holding.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
            return null;
        });
    }

    private static MockHttpServletRequest post(String path, byte[] body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
        request.setServletPath(path);
        request.setContentType("application/json");
        request.setContent(body);
        return request;
    }

    private static int port(ChildHub hub) throws IOException {
        Matcher m = Pattern.compile("Tomcat started on port (\\d+)").matcher(Files.readString(hub.log().toPath()));
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static String exchange(int port, String requestLine, List<String> headers, int chunkedMb) {
        return exchange(port, requestLine, headers, chunkedMb, null);
    }

    /**
     * One raw HTTP/1.1 request: headers, then a body of chunkedMb MB in chunks (or the given body), stopping when
     * the hub stops reading; answers the response's head and body, or "closed".
     */
    private static String exchange(int port, String requestLine, List<String> headers, int chunkedMb, String body) {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder(requestLine + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
            headers.forEach(h -> head.append(h).append("\r\n"));
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
            try {
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) 'x');
                for (long sent = 0; sent < (long) chunkedMb * MB && socket.getInputStream().available() == 0;
                        sent += chunk.length) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                if (chunkedMb > 0) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.flush();
            } catch (IOException stoppedReading) {
                // the hub refused and closed the connection: its answer may still be readable
            }
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            return answer.isEmpty() ? "closed" : answer;
        } catch (IOException e) {
            return "closed";
        }
    }

}
