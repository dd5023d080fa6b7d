package io.ragsync.sources.rest;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.InvalidJsonException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.PathNotFoundException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.DigestUtils;
import org.apache.commons.lang3.StringUtils;

/** A REST source's pagination without I/O (styles in routes/sources/README.md); a cursor is kept as text. */
public final class RestPages {

    /**
     * What a fetched page holds: items in order, the next cursor (null when done), done, and whether the next page
     * lies at or past the end the API reported (its total or total pages) although this page was full.
     */
    public record Page(List<Object> items, String next, boolean done, boolean pastReportedEnd) {
        public Page {
            next = done ? null : next;
            pastReportedEnd = !done && pastReportedEnd;
        }

        Page(List<Object> items, String next, boolean done) {
            this(items, next, done, false);
        }
    }

    private static final Pattern LINK_VALUE = Pattern.compile("<([^>]*)>\\s*((?:;\\s*[^;,]+)*)");
    private static final Pattern REL = Pattern.compile("(?i);\\s*rel\\s*=\\s*(\"([^\"]*)\"|([^\\s;,]+))");

    private RestPages() {
    }

    /** The URL of the page the cursor points at (null cursor = first page). */
    public static String url(RestSourceConfig config, String cursor) {
        if (config.cursorStyle() == CursorStyle.LINK && cursor != null) {
            return cursor;
        }
        StringBuilder url = new StringBuilder(config.baseUrl());
        String value = switch (config.cursorStyle()) {
            case CURSOR -> cursor;
            case OFFSET -> cursor == null ? "0" : cursor;
            case PAGE -> cursor == null ? String.valueOf(config.firstPage()) : cursor;
            case LINK -> null;
        };
        if (value != null && config.cursorParam() != null) {
            appendParam(url, config.cursorParam(), value);
        }
        if (config.pageSizeParam() != null && config.defaultPageSize() != null) {
            appendParam(url, config.pageSizeParam(), String.valueOf(config.defaultPageSize()));
        }
        return url.toString();
    }

    private static void appendParam(StringBuilder url, String name, String value) {
        url.append(url.indexOf("?") >= 0 ? (url.charAt(url.length() - 1) == '?' || url.charAt(url.length() - 1) == '&' ? "" : "&") : "?")
                .append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    /** Reads a 2xx page. Malformed JSON, or an itemsPath that matches nothing, is a {@link RestSourceException}. */
    public static Page read(RestSourceConfig config, String cursor, String url, String body, String linkHeader,
                            int httpStatus) {
        return read(config, cursor, url, body, linkHeader, null, httpStatus);
    }

    /** As above, with the value of the config's totalHeader in the response (null when absent). */
    public static Page read(RestSourceConfig config, String cursor, String url, String body, String linkHeader,
                            String totalHeaderValue, int httpStatus) {
        DocumentContext doc = parse(body, url, httpStatus);
        List<Object> items = items(config, doc, url, httpStatus);
        return switch (config.cursorStyle()) {
            case CURSOR -> {
                String next = text(optional(doc, config.nextCursorPath()));
                if (next != null && next.equals(cursor)) {
                    throw new RestSourceException("cursor loop: the API returned the same cursor again (" + next + ") at "
                            + config.nextCursorPath() + ": refusing to loop", httpStatus);
                }
                yield new Page(items, next, next == null || items.isEmpty());
            }
            case OFFSET -> {
                long asked = cursor == null ? 0 : Long.parseLong(cursor);
                long current = config.currentOffsetPath() == null ? asked
                        : number(optional(doc, config.currentOffsetPath()), asked, config.currentOffsetPath(), httpStatus, false);
                // the next offset follows the reported one: any other than the one asked would loop or skip items
                if (!items.isEmpty() && current != asked) {
                    throw new RestSourceException("offset mismatch: the API reports offset " + current + " at "
                            + config.currentOffsetPath() + " for the page asked at offset " + asked + ": the next offset"
                            + " would be " + (current + items.size()) + " instead of " + (asked + items.size())
                            + "; refusing to loop or skip items", httpStatus);
                }
                if (config.totalHeader() != null && totalHeaderValue == null) {
                    throw new RestSourceException("the response has no " + config.totalHeader()
                            + " header: the offset style needs the total", httpStatus);
                }
                long total = config.totalHeader() != null
                        ? number(totalHeaderValue, -1, "the " + config.totalHeader() + " header", httpStatus, true)
                        : number(optional(doc, config.totalPath()), -1, config.totalPath(), httpStatus, true);
                long next = current + items.size();
                boolean atTotal = next >= total;
                yield new Page(items, String.valueOf(next), items.isEmpty() || (atTotal && isShort(config, items)),
                        atTotal);
            }
            case PAGE -> {
                long current = cursor == null ? config.firstPage() : Long.parseLong(cursor);
                Object totalPages = config.totalPagesPath() == null ? null : optional(doc, config.totalPagesPath());
                long last = totalPages == null ? Long.MAX_VALUE
                        : number(totalPages, Long.MAX_VALUE, config.totalPagesPath(), httpStatus, false)
                          - (config.firstPage() == 0 ? 1 : 0);
                boolean atLast = current >= last;
                yield new Page(items, String.valueOf(current + 1),
                        items.isEmpty() || (atLast && isShort(config, items)), atLast);
            }
            case LINK -> {
                String next = nextLink(linkHeader, url);
                if (next != null) {
                    requireSameOrigin(config.baseUrl(), next, httpStatus);
                    if (next.equals(url)) {
                        throw new RestSourceException("cursor loop: the Link header points at the same page again (" + next
                                + "): refusing to loop", httpStatus);
                    }
                }
                yield new Page(items, next, next == null || items.isEmpty());
            }
        };
    }

    /**
     * Refuses a next page this run already fetched (a loop of any length, in any style), and a run past maxPages: the
     * keys a run remembers stay bounded, and a run that neither repeats nor ends stops too.
     */
    public static void requireProgress(RestSourceConfig config, String url, Page page, Set<Long> fetchedThisRun,
                                       long maxPages, int httpStatus) {
        if (page.done()) {
            return;
        }
        String nextUrl = url(config, page.next());
        if (nextUrl.equals(url) || fetchedThisRun.contains(key(nextUrl))) {
            throw new RestSourceException("cursor loop: the next page " + nextUrl + " was already fetched in this run ("
                    + (fetchedThisRun.size() + 1) + " pages so far): refusing to go round again", httpStatus);
        }
        if (fetchedThisRun.size() + 1 >= maxPages) {
            throw new RestSourceException("the run reached " + maxPages + " pages without an end"
                    + " (app.rest.max-pages-per-run): refusing to go on", httpStatus);
        }
    }

    /** A page URL as the 64-bit key a run remembers it by (the first 8 bytes of its SHA-256). */
    public static long key(String url) {
        return ByteBuffer.wrap(DigestUtils.sha256(url)).getLong();
    }

    /**
     * A page shorter than the page size asked: the last one. A full page (or one of an unknown size) may be followed
     * by more items than the API's total says, so the total alone never ends a run on it.
     */
    private static boolean isShort(RestSourceConfig config, List<Object> items) {
        return config.pageSizeParam() != null && config.defaultPageSize() != null && items.size() < config.defaultPageSize();
    }

    /** Past the end it reported, some APIs answer these instead of an empty page. */
    public static boolean isPastTheEnd(int httpStatus) {
        return httpStatus == 400 || httpStatus == 404 || httpStatus == 416;
    }

    private static DocumentContext parse(String body, String url, int httpStatus) {
        if (body == null || body.isBlank()) {
            throw new RestSourceException("empty response body from " + url + " (HTTP " + httpStatus + ")", httpStatus);
        }
        try {
            DocumentContext doc = JsonPath.parse(body);
            Object root = doc.json();
            if (!(root instanceof Map) && !(root instanceof List)) {
                throw new RestSourceException("malformed JSON from " + url + ": not an object or array", httpStatus);
            }
            return doc;
        } catch (InvalidJsonException e) {
            String cause = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
            throw new RestSourceException("malformed JSON from " + url + ": " + abbreviate(cause, 200), httpStatus);
        }
    }

    private static List<Object> items(RestSourceConfig config, DocumentContext doc, String url, int httpStatus) {
        Object found;
        try {
            found = doc.read(config.itemsPath());
        } catch (PathNotFoundException e) {
            throw nothingAt(config, url, httpStatus);
        }
        if (found instanceof List<?> list) {
            if (list.isEmpty() && config.itemsPath().endsWith("[*]")) {
                // an indefinite path yields [] also when its array is missing: the container must exist
                String container = config.itemsPath().substring(0, config.itemsPath().length() - 3);
                if (!container.equals("$") && optional(doc, container) == null) {
                    throw nothingAt(config, url, httpStatus);
                }
            }
            if (list.size() == 1 && list.get(0) instanceof List<?> inner && !config.itemsPath().endsWith("]")) {
                return new ArrayList<>(inner);
            }
            return new ArrayList<>(list);
        }
        if (found == null) {
            throw nothingAt(config, url, httpStatus);
        }
        throw new RestSourceException("itemsPath " + config.itemsPath() + " does not select an array in the response of "
                + url + " (found " + kind(found) + ")", httpStatus);
    }

    private static RestSourceException nothingAt(RestSourceConfig config, String url, int httpStatus) {
        return new RestSourceException("itemsPath " + config.itemsPath() + " matched nothing in the response of " + url
                + ": check the source's config", httpStatus);
    }

    static Object optional(DocumentContext doc, String path) {
        try {
            Object v = doc.read(path);
            if (v instanceof List<?> list && !JsonPath.compile(path).isDefinite()) {
                return list.isEmpty() ? null : list.get(0);
            }
            return v;
        } catch (PathNotFoundException e) {
            return null;
        }
    }

    private static long number(Object value, long dflt, String path, int httpStatus, boolean required) {
        if (value == null) {
            if (required) {
                throw new RestSourceException(path + " matched nothing in the response: the offset style needs the total",
                        httpStatus);
            }
            return dflt;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new RestSourceException(path + " is not a number in the response (got " + abbreviate(value.toString(), 40)
                    + ")", httpStatus);
        }
    }

    private static String text(Object value) {
        return value == null || plain(value).isBlank() ? null : plain(value);
    }

    /** A JSON scalar as text: a whole number without its ".0". */
    static String plain(Object value) {
        return value instanceof Number n && n.doubleValue() == n.longValue() ? String.valueOf(n.longValue())
                : value.toString();
    }

    /** The target of the first {@code rel="next"} link of an RFC 8288 Link header, resolved against the page URL. */
    public static String nextLink(String header, String pageUrl) {
        if (header == null || header.isBlank()) {
            return null;
        }
        Matcher m = LINK_VALUE.matcher(header);
        while (m.find()) {
            Matcher rel = REL.matcher(m.group(2));
            while (rel.find()) {
                String rels = rel.group(2) != null ? rel.group(2) : rel.group(3);
                for (String r : rels.trim().split("\\s+")) {
                    if (r.equalsIgnoreCase("next")) {
                        return URI.create(pageUrl).resolve(m.group(1).trim()).toString();
                    }
                }
            }
        }
        return null;
    }

    /** The source's headers, API key included, are only ever sent to its own origin. */
    private static void requireSameOrigin(String baseUrl, String next, int httpStatus) {
        URI base = URI.create(baseUrl);
        URI n = URI.create(next);
        if (!StringUtils.equalsIgnoreCase(base.getScheme(), n.getScheme())
                || !StringUtils.equalsIgnoreCase(base.getHost(), n.getHost()) || port(base) != port(n)) {
            throw new RestSourceException("the Link header's next page " + n.getScheme() + "://" + n.getHost()
                    + " is not on the source's host: not followed (the source's headers are only sent to its own host)",
                    httpStatus);
        }
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String kind(Object value) {
        return value instanceof Map ? "an object" : value instanceof String ? "a string" : value instanceof Number ? "a number"
                : value.getClass().getSimpleName();
    }

    static String abbreviate(String s, int max) {
        if (s == null) {
            return "";
        }
        String oneLine = s.replaceAll("\\s+", " ");
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max) + "...";
    }
}
