package io.ragsync.sources.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The linkfetch HTTP component itself: its DNS goes through LinkFetchGuard, so a connection to an internal
 * address or to a host off the allow-list is refused at connect time (which is what protects redirects and DNS
 * rebinding), and a body over the size limit is cut off while it is read.
 */
class LinkFetchConfigurationTest {

    HttpServer server;
    final AtomicInteger requests = new AtomicInteger();
    CamelContext camel;
    LinkFetchGuard guard;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            try (exchange) {
                if (exchange.getRequestURI().getPath().equals("/redirect")) {
                    exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + server.getAddress().getPort() + "/page");
                    exchange.sendResponseHeaders(302, -1);
                    return;
                }
                if (exchange.getRequestURI().getPath().equals("/gzip")) {
                    // 100 KB of text in a gzip body of a few hundred bytes, under the limit as sent
                    java.io.ByteArrayOutputStream packed = new java.io.ByteArrayOutputStream();
                    try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(packed)) {
                        gzip.write(("<p>" + "x".repeat(100_000) + "</p>").getBytes(StandardCharsets.UTF_8));
                    }
                    exchange.getResponseHeaders().add("Content-Type", "text/html");
                    exchange.getResponseHeaders().add("Content-Encoding", "gzip");
                    exchange.sendResponseHeaders(200, packed.size());
                    exchange.getResponseBody().write(packed.toByteArray());
                    return;
                }
                if (exchange.getRequestURI().getPath().equals("/endless")) {
                    // chunked and without end, until the client goes away
                    exchange.getResponseHeaders().add("Content-Type", "text/plain");
                    exchange.sendResponseHeaders(200, 0);
                    byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
                    try {
                        while (true) {
                            exchange.getResponseBody().write(chunk);
                        }
                    } catch (java.io.IOException clientGone) {
                        return;
                    }
                }
                if (exchange.getRequestURI().getPath().startsWith("/bytes/")) {
                    // chunked, so only the limited stream can tell the size
                    exchange.getResponseHeaders().add("Content-Type", "text/plain");
                    exchange.sendResponseHeaders(200, 0);
                    exchange.getResponseBody().write("x".repeat(Integer.parseInt(
                            exchange.getRequestURI().getPath().substring(7))).getBytes(StandardCharsets.UTF_8));
                    return;
                }
                byte[] body = ("<p>" + "x".repeat(exchange.getRequestURI().getPath().equals("/big") ? 5000 : 10) + "</p>")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/html");
                exchange.sendResponseHeaders(200, exchange.getRequestURI().getPath().equals("/big") ? 0 : body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        guard = new LinkFetchGuard(false);
        camel = new DefaultCamelContext();
        camel.addComponent("linkfetch", new LinkFetchConfiguration().linkFetchComponent(guard, 2000, 2000, 5000, 1000));
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        server.stop(0);
    }

    @Test
    void internalAddressesAreRefusedAtConnectTime() {
        Exchange result = fetch("/page");
        assertThat(result.getException()).isNotNull();
        assertThat(causeChain(result.getException())).anyMatch(t -> t instanceof LinkFetchGuard.ForbiddenAddressException);
        assertThat(requests).hasValue(0);

        guard.setAllowPrivate(true);
        Exchange allowed = fetch("/page");
        assertThat(allowed.getException()).isNull();
        assertThat(allowed.getMessage().getBody(String.class)).isEqualTo("<p>xxxxxxxxxx</p>");
        assertThat(requests).hasValue(1);
    }

    @Test
    void redirectsToAHostOffTheAllowListAreRefusedAtConnectTime() {
        guard.setAllowPrivate(true);
        guard.setAllowedHosts("localhost");
        Exchange result = fetch("http://localhost:" + server.getAddress().getPort() + "/redirect");
        assertThat(causeChain(result.getException())).anyMatch(t -> t instanceof LinkFetchGuard.ForbiddenAddressException);
        assertThat(requests).hasValue(1);
    }

    @Test
    void bodiesOverTheLimitAreCutOff() {
        guard.setAllowPrivate(true);
        Exchange result = fetch("/big");
        assertThat(causeChain(result.getException())).anyMatch(t -> t instanceof LinkFetchConfiguration.LinkTooLargeException);
    }

    /** A page is limited as read, after HttpClient undoes its gzip encoding: a small gzip body can hold gigabytes. */
    @Test
    void aGzipBodyIsLimitedByWhatItExpandsTo() {
        guard.setAllowPrivate(true);
        Exchange result = fetch("/gzip");
        assertThat(causeChain(result.getException())).anyMatch(t -> t instanceof LinkFetchConfiguration.LinkTooLargeException);
    }

    @Test
    void aBodyOfExactlyTheLimitIsReadAndOneByteMoreIsNot() {
        guard.setAllowPrivate(true);
        Exchange exact = fetch("/bytes/1000");
        assertThat(exact.getException()).isNull();
        assertThat(exact.getMessage().getBody(byte[].class)).hasSize(1000);
        Exchange over = fetch("/bytes/1001");
        assertThat(causeChain(over.getException()))
                .anyMatch(t -> t instanceof LinkFetchConfiguration.LinkTooLargeException);
    }

    /** The limit drops the connection: HttpClient would otherwise read the rest of the body to reuse it, for ever. */
    @Test
    void aBodyWithoutEndFailsAtTheLimitAndIsNotReadOn() {
        guard.setAllowPrivate(true);
        Exchange endless = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(20), () -> fetch("/endless"));
        assertThat(causeChain(endless.getException()))
                .anyMatch(t -> t instanceof LinkFetchConfiguration.LinkTooLargeException);
    }

    /**
     * A head sent a line at a time, each within the read timeout, is cut off at the total time limit counted from the
     * request: the fetch fails with the timeout and its connection is closed, so the site sees the fetcher go.
     */
    @Test
    void aHeadDrippedPastTheTotalTimeFailsWithTheTimeoutAndClosesTheConnection() throws Exception {
        guard.setAllowPrivate(true);
        java.util.concurrent.CountDownLatch fetcherGone = new java.util.concurrent.CountDownLatch(1);
        try (java.net.ServerSocket site = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread dripping = new Thread(() -> {
                try (java.net.Socket client = site.accept()) {
                    client.getInputStream().read(new byte[8192]);
                    java.io.OutputStream out = client.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n".getBytes(StandardCharsets.US_ASCII));
                    io.ragsync.support.DrippingHead.drip(out, 600, java.time.Duration.ofMillis(200));
                } catch (java.io.IOException clientGone) {
                    fetcherGone.countDown();
                } catch (InterruptedException stopped) {
                    Thread.currentThread().interrupt();
                }
            }, "dripping-site");
            dripping.setDaemon(true);
            dripping.start();

            Exchange dripped = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                    java.time.Duration.ofSeconds(30), () -> fetch("http://127.0.0.1:" + site.getLocalPort() + "/"));
            assertThat(causeChain(dripped.getException()))
                    .anyMatch(t -> t instanceof java.net.SocketTimeoutException
                            && t.getMessage().contains("app.push.link-fetch.total-timeout-ms"));
            assertThat(fetcherGone.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
    }

    private Exchange fetch(String pathOrUrl) {
        String url = pathOrUrl.startsWith("http") ? pathOrUrl : "http://127.0.0.1:" + server.getAddress().getPort() + pathOrUrl;
        ProducerTemplate producer = camel.createProducerTemplate();
        return producer.request("linkfetch://link-fetch?throwExceptionOnFailure=false", e -> {
            e.getIn().setHeader(Exchange.HTTP_URI, url);
            e.getIn().setHeader(Exchange.HTTP_METHOD, "GET");
        });
    }

    private static java.util.List<Throwable> causeChain(Throwable t) {
        java.util.List<Throwable> chain = new java.util.ArrayList<>();
        for (Throwable c = t; c != null; c = c.getCause()) {
            chain.add(c);
        }
        return chain;
    }
}
