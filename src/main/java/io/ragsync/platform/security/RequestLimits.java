package io.ragsync.platform.security;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds what one request may cost, after authentication and before anything parses it: a body limit per endpoint
 * family enforced while reading → 413; JSON bodies only on the API → 415; caps on concurrent expensive requests and
 * on body bytes held in memory (a share of the heap) → 503 with Retry-After. Nothing over a limit is ever buffered.
 */
public class RequestLimits extends OncePerRequestFilter {

    /** An endpoint family: its path prefix, body limit and concurrency cap (0 = none). */
    public record Family(String name, String pathPrefix, long maxBodyBytes, int maxConcurrent) {
    }

    /** Writes a refusal in the API family's error shape. */
    public interface Refusals {
        void refuse(HttpServletRequest request, HttpServletResponse response, int status, String error, String message)
                throws IOException;
    }

    private final List<Family> families;
    private final Family fallback;
    private final Map<String, Semaphore> concurrent;
    private final Semaphore bodyBytes;
    private final long bodyBudget;
    private final Refusals refusals;

    /** Families most specific prefix first, the fallback for any other path; bodyBudget: bytes all bodies may hold. */
    public RequestLimits(List<Family> families, Family fallback, long bodyBudget, Refusals refusals) {
        this.families = families;
        this.fallback = fallback;
        this.refusals = refusals;
        this.bodyBudget = Math.min(bodyBudget, Integer.MAX_VALUE);
        this.bodyBytes = new Semaphore((int) this.bodyBudget);
        this.concurrent = families.stream().filter(f -> f.maxConcurrent() > 0)
                .collect(Collectors.toMap(Family::name, f -> new Semaphore(f.maxConcurrent()), (first, last) -> last));
    }

    public Family family(String path) {
        return families.stream().filter(f -> path.startsWith(f.pathPrefix())).findFirst().orElse(fallback);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = routedPath(request);
        Family family = family(path);
        long declared = request.getContentLengthLong();
        boolean hasBody = declared > 0 || "chunked".equalsIgnoreCase(request.getHeader("Transfer-Encoding"));
        // a declared length over the limit is refused unread; a chunked body is cut at the limit while reading
        if (hasBody && declared > family.maxBodyBytes()) {
            refusals.refuse(request, response, 413, "payload_too_large", "the request body is " + declared
                    + " bytes, over the limit of " + family.maxBodyBytes() + " bytes for this endpoint");
            return;
        }
        if (!hasBody || !path.startsWith("/api/")) {
            // no body, or the console's own posts (login form, Jolokia): the operator's, or parsed by Tomcat
            // within server.tomcat.max-http-form-post-size: their declared length is bounded, the stream is theirs
            withPermit(family, request, response, chain, request, 0);
            return;
        }
        if (!isJson(request.getContentType())) {
            refusals.refuse(request, response, 415, "unsupported_media_type",
                    "the request body must be JSON (Content-Type: application/json)");
            return;
        }
        int reserve = (int) Math.min(declared > 0 ? declared : family.maxBodyBytes(), bodyBudget);
        if (!bodyBytes.tryAcquire(reserve)) {
            busy(request, response, "too many large requests at once; retry shortly");
            return;
        }
        boolean released = false;
        try {
            // nothing past limit + 1 bytes is kept
            byte[] body = request.getInputStream().readNBytes((int) Math.min(family.maxBodyBytes() + 1,
                    Integer.MAX_VALUE - 8));
            if (body.length > family.maxBodyBytes()) {
                refusals.refuse(request, response, 413, "payload_too_large", "the request body is over the limit of "
                        + family.maxBodyBytes() + " bytes for this endpoint");
                return;
            }
            if (!isUtf8(body)) {
                // JSON is UTF-8 (RFC 8259); a lossy decoding further on would store replacement characters
                refusals.refuse(request, response, 400, "bad_request", "the request body is not valid UTF-8");
                return;
            }
            // from here the body is held by the request: the reservation shrinks to what it really takes
            if (body.length < reserve) {
                bodyBytes.release(reserve - body.length);
                reserve = body.length;
            }
            released = true;
            withPermit(family, request, response, chain, new CachedBody(request, body), reserve);
        } finally {
            if (!released) {
                bodyBytes.release(reserve);
            }
        }
    }

    /**
     * The path the request is routed by: decoded (UTF-8) and normalised by the container, as Spring's matching sees
     * it ({@code /api/r%65trieval} is {@code /api/retrieval}). Not UrlPathHelper: it decodes with the request's own
     * charset, which the caller chooses.
     */
    static String routedPath(HttpServletRequest request) {
        return request.getServletPath() + Objects.requireNonNullElse(request.getPathInfo(), "");
    }

    private void withPermit(Family family, HttpServletRequest original, HttpServletResponse response, FilterChain chain,
                            HttpServletRequest request, int heldBytes) throws IOException, ServletException {
        Semaphore slots = concurrent.get(family.name());
        if (slots != null && !slots.tryAcquire()) {
            bodyBytes.release(heldBytes);
            busy(original, response, "too many " + family.name() + " requests at once; retry shortly");
            return;
        }
        AtomicBoolean done = new AtomicBoolean();
        Runnable release = () -> {
            if (done.compareAndSet(false, true)) {
                bodyBytes.release(heldBytes);
                if (slots != null) {
                    slots.release();
                }
            }
        };
        try {
            chain.doFilter(request, response);
        } finally {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new AsyncListener() {
                    @Override
                    public void onComplete(AsyncEvent event) {
                        release.run();
                    }

                    @Override
                    public void onTimeout(AsyncEvent event) {
                        release.run();
                    }

                    @Override
                    public void onError(AsyncEvent event) {
                        release.run();
                    }

                    @Override
                    public void onStartAsync(AsyncEvent event) {
                        // the same request goes on: keep the permit
                    }
                });
            } else {
                release.run();
            }
        }
    }

    private void busy(HttpServletRequest request, HttpServletResponse response, String message) throws IOException {
        response.setHeader("Retry-After", "1");
        refusals.refuse(request, response, 503, "busy", message);
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }

    static boolean isUtf8(byte[] body) {
        try {
            // a new decoder reports malformed input (CodingErrorAction.REPORT) instead of replacing it
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The request with its body served from memory. */
    static final class CachedBody extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already read");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            Charset charset = Charset.forName(Objects.requireNonNullElse(getCharacterEncoding(), "UTF-8"));
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
