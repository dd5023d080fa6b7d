package io.ragsync.sources.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestPagesTest {

    private final RestSourceValidator validator = new RestSourceValidator(new ObjectMapper());

    private RestSourceConfig config(Map<String, Object> c) throws Exception {
        return validator.parse(new ObjectMapper().writeValueAsString(c));
    }

    @Test
    void urlsPerStyle() throws Exception {
        RestSourceConfig offset = config(Map.of("baseUrl", "https://api.local/products?select=title", "cursorStyle", "offset",
                "cursorParam", "skip", "pageSizeParam", "limit", "defaultPageSize", 30, "itemsPath", "$.products",
                "currentOffsetPath", "$.skip", "totalPath", "$.total", "textFields", List.of("title")));
        assertThat(RestPages.url(offset, null)).isEqualTo("https://api.local/products?select=title&skip=0&limit=30");
        assertThat(RestPages.url(offset, "60")).isEqualTo("https://api.local/products?select=title&skip=60&limit=30");
        RestSourceConfig cursor = config(Map.of("baseUrl", "https://api.local/o", "cursorParam", "cursor",
                "itemsPath", "$.data", "nextCursorPath", "$.next", "textFields", List.of("a")));
        assertThat(RestPages.url(cursor, null)).isEqualTo("https://api.local/o");
        assertThat(RestPages.url(cursor, "a b&c")).isEqualTo("https://api.local/o?cursor=a+b%26c");
        RestSourceConfig page = config(Map.of("baseUrl", "https://api.local/a", "cursorStyle", "page", "cursorParam", "page",
                "itemsPath", "$.results", "textFields", List.of("a"), "firstPage", 0));
        assertThat(RestPages.url(page, null)).isEqualTo("https://api.local/a?page=0");
        RestSourceConfig link = config(Map.of("baseUrl", "https://api.local/e", "cursorStyle", "link", "itemsPath", "$",
                "textFields", List.of("a")));
        assertThat(RestPages.url(link, "https://api.local/e?after=3")).isEqualTo("https://api.local/e?after=3");
    }

    @Test
    void offsetPagesEndOnAShortPageAtTheTotal() throws Exception {
        RestSourceConfig c = config(Map.of("baseUrl", "https://api.local/p", "cursorStyle", "offset", "cursorParam", "skip",
                "pageSizeParam", "limit", "defaultPageSize", 5,
                "itemsPath", "$.products", "currentOffsetPath", "$.skip", "totalPath", "$.total", "textFields", List.of("title")));
        RestPages.Page p = RestPages.read(c, "20", "u", "{\"products\":[{\"id\":1},{\"id\":2}],\"total\":25,\"skip\":20}", null, 200);
        assertThat(p.items()).hasSize(2);
        assertThat(p.next()).isEqualTo("22");
        assertThat(p.done()).isFalse();
        RestPages.Page last = RestPages.read(c, "22", "u", "{\"products\":[{},{},{}],\"total\":25,\"skip\":22}", null, 200);
        assertThat(last.done()).isTrue();
        assertThat(last.next()).isNull();
        assertThatThrownBy(() -> RestPages.read(c, null, "u", "{\"products\":[{}]}", null, 200))
                .hasMessageContaining("$.total matched nothing");
    }

    @Test
    void aFullPageGoesOnPastTheReportedTotal() throws Exception {
        RestSourceConfig c = config(Map.of("baseUrl", "https://api.local/p", "cursorStyle", "offset", "cursorParam", "skip",
                "pageSizeParam", "limit", "defaultPageSize", 2,
                "itemsPath", "$.products", "currentOffsetPath", "$.skip", "totalPath", "$.total", "textFields", List.of("title")));
        RestPages.Page full = RestPages.read(c, null, "u", "{\"products\":[{},{}],\"total\":2,\"skip\":0}", null, 200);
        assertThat(full.done()).isFalse();
        assertThat(full.next()).isEqualTo("2");
        assertThat(full.pastReportedEnd()).isTrue();
        RestPages.Page empty = RestPages.read(c, "2", "u", "{\"products\":[],\"total\":2,\"skip\":2}", null, 200);
        assertThat(empty.done()).isTrue();
        // without a page size no page is known to be short: only an empty one ends the run
        RestSourceConfig unsized = config(Map.of("baseUrl", "https://api.local/p", "cursorStyle", "offset", "cursorParam", "skip",
                "itemsPath", "$.products", "totalPath", "$.total", "textFields", List.of("title")));
        assertThat(RestPages.read(unsized, "20", "u", "{\"products\":[{}],\"total\":21}", null, 200).done()).isFalse();
        RestSourceConfig pages = config(Map.of("baseUrl", "https://api.local/a", "cursorStyle", "page", "cursorParam", "page",
                "pageSizeParam", "per_page", "defaultPageSize", 2,
                "itemsPath", "$.results", "totalPagesPath", "$.total_pages", "textFields", List.of("a")));
        RestPages.Page lastFull = RestPages.read(pages, "3", "u", "{\"results\":[{},{}],\"total_pages\":3}", null, 200);
        assertThat(lastFull.done()).isFalse();
        assertThat(lastFull.next()).isEqualTo("4");
        assertThat(lastFull.pastReportedEnd()).isTrue();
        assertThat(RestPages.isPastTheEnd(404)).isTrue();
        assertThat(RestPages.isPastTheEnd(500)).isFalse();
    }

    @Test
    void anOffsetPageMustBeTheOneAsked() throws Exception {
        RestSourceConfig c = config(Map.of("baseUrl", "https://api.local/p", "cursorStyle", "offset", "cursorParam", "skip",
                "itemsPath", "$.products", "currentOffsetPath", "$.skip", "totalPath", "$.total", "textFields", List.of("title")));
        assertThatThrownBy(() -> RestPages.read(c, "2", "u", "{\"products\":[{},{}],\"total\":100,\"skip\":0}", null, 200))
                .isInstanceOf(RestSourceException.class).hasMessageContaining("offset mismatch");
        assertThatThrownBy(() -> RestPages.read(c, "2", "u", "{\"products\":[{},{}],\"total\":100,\"skip\":7}", null, 200))
                .isInstanceOf(RestSourceException.class).hasMessageContaining("offset mismatch");
        // past the end the API may say anything: an empty page ends the run
        assertThat(RestPages.read(c, "100", "u", "{\"products\":[],\"total\":100,\"skip\":0}", null, 200).done()).isTrue();
    }

    @Test
    void cursorPagesEndWithoutANextCursorAndNeverLoop() throws Exception {
        RestSourceConfig c = config(Map.of("baseUrl", "https://api.local/o", "cursorParam", "cursor",
                "itemsPath", "$.data[*]", "nextCursorPath", "$.meta.next_cursor", "textFields", List.of("a")));
        assertThat(RestPages.read(c, null, "u", "{\"data\":[{\"a\":1}],\"meta\":{\"next_cursor\":\"abc\"}}", null, 200).next()).isEqualTo("abc");
        assertThat(RestPages.read(c, "abc", "u", "{\"data\":[{\"a\":1}],\"meta\":{\"next_cursor\":null}}", null, 200).done()).isTrue();
        assertThat(RestPages.read(c, "abc", "u", "{\"data\":[],\"meta\":{\"next_cursor\":\"def\"}}", null, 200).done()).isTrue();
        assertThatThrownBy(() -> RestPages.read(c, "abc", "u", "{\"data\":[{}],\"meta\":{\"next_cursor\":\"abc\"}}", null, 200))
                .hasMessageContaining("same cursor");
        assertThatThrownBy(() -> RestPages.read(c, null, "u", "{\"items\":[{}]}", null, 200))
                .hasMessageContaining("itemsPath $.data[*] matched nothing");
    }

    @Test
    void aNextPageTheRunAlreadyFetchedIsALoopAndARunIsBounded() throws Exception {
        RestSourceConfig c = config(Map.of("baseUrl", "https://api.local/o", "cursorParam", "cursor",
                "itemsPath", "$.data[*]", "nextCursorPath", "$.meta.next_cursor", "textFields", List.of("a")));
        RestPages.Page toA = new RestPages.Page(List.of(1), "A", false);
        java.util.Set<Long> firstAndA = java.util.Set.of(RestPages.key("https://api.local/o"),
                RestPages.key("https://api.local/o?cursor=A"));
        assertThatThrownBy(() -> RestPages.requireProgress(c, "https://api.local/o?cursor=B", toA, firstAndA, 100, 200))
                .isInstanceOf(RestSourceException.class).hasMessageStartingWith("cursor loop");
        RestPages.requireProgress(c, "https://api.local/o?cursor=B", new RestPages.Page(List.of(1), "C", false), firstAndA, 100, 200);
        RestPages.requireProgress(c, "https://api.local/o?cursor=B", new RestPages.Page(List.of(1), "A", true), firstAndA, 100, 200);
        assertThatThrownBy(() -> RestPages.requireProgress(c, "https://api.local/o?cursor=B",
                new RestPages.Page(List.of(1), "C", false), firstAndA, 3, 200))
                .isInstanceOf(RestSourceException.class).hasMessageContaining("app.rest.max-pages-per-run");
    }

    @Test
    void pagesEndOnAnEmptyPageOrAShortLastPage() throws Exception {
        RestSourceConfig c = config(Map.of("baseUrl", "https://api.local/a", "cursorStyle", "page", "cursorParam", "page",
                "pageSizeParam", "per_page", "defaultPageSize", 4,
                "itemsPath", "$.results", "totalPagesPath", "$.total_pages", "textFields", List.of("a")));
        assertThat(RestPages.read(c, null, "u", "{\"results\":[{}],\"total_pages\":3}", null, 200).next()).isEqualTo("2");
        assertThat(RestPages.read(c, "3", "u", "{\"results\":[{}],\"total_pages\":3}", null, 200).done()).isTrue();
        RestSourceConfig open = config(Map.of("baseUrl", "https://api.local/a", "cursorStyle", "page", "cursorParam", "page",
                "itemsPath", "$.results", "textFields", List.of("a")));
        assertThat(RestPages.read(open, "7", "u", "{\"results\":[]}", null, 200).done()).isTrue();
    }

    @Test
    void linkHeadersFollowRelNextOnTheSameHostOnly() throws Exception {
        assertThat(RestPages.nextLink("<https://api.local/e?page=3>; rel=\"next\", <https://api.local/e?page=1>; rel=\"first\"",
                "https://api.local/e?page=2")).isEqualTo("https://api.local/e?page=3");
        assertThat(RestPages.nextLink("</e?after=9>; title=\"x\"; rel=\"prev next\"", "https://api.local/e")).isEqualTo("https://api.local/e?after=9");
        assertThat(RestPages.nextLink("<https://api.local/e?page=1>; rel=first", "https://api.local/e")).isNull();
        assertThat(RestPages.nextLink(null, "https://api.local/e")).isNull();
        RestSourceConfig c = config(Map.of("baseUrl", "https://api.local/e", "cursorStyle", "link", "itemsPath", "$",
                "textFields", List.of("a")));
        assertThat(RestPages.read(c, null, "https://api.local/e", "[{\"a\":1},{\"a\":2}]", "<https://api.local/e?p=2>; rel=\"next\"", 200).next())
                .isEqualTo("https://api.local/e?p=2");
        assertThatThrownBy(() -> RestPages.read(c, null, "https://api.local/e", "[{\"a\":1}]", "<https://evil.example/e?p=2>; rel=\"next\"", 200))
                .hasMessageContaining("not on the source's host");
    }

    @Test
    void malformedJsonIsAClearError() throws Exception {
        RestSourceConfig c = config(Map.of("baseUrl", "https://api.local/e", "cursorStyle", "link", "itemsPath", "$.x",
                "textFields", List.of("a")));
        assertThatThrownBy(() -> RestPages.read(c, null, "https://api.local/e", "<html>oops</html>", null, 200))
                .isInstanceOf(RestSourceException.class).hasMessageStartingWith("malformed JSON from https://api.local/e");
        assertThatThrownBy(() -> RestPages.read(c, null, "https://api.local/e", "", null, 200)).hasMessageContaining("empty response body");
        assertThatThrownBy(() -> RestPages.read(c, null, "https://api.local/e", "{\"x\":{\"a\":1}}", null, 200))
                .hasMessageContaining("does not select an array");
    }

    @Test
    void offsetPagesMayTakeTheTotalFromAHeaderAsJsonServerSendsIt() throws Exception {
        RestSourceConfig c = config(Map.of("baseUrl", "http://localhost:3000/posts", "cursorStyle", "offset",
                "cursorParam", "_start", "pageSizeParam", "_limit", "defaultPageSize", 2, "itemsPath", "$",
                "totalHeader", "X-Total-Count", "textFields", List.of("title")));
        assertThat(RestPages.url(c, null)).isEqualTo("http://localhost:3000/posts?_start=0&_limit=2");
        RestPages.Page first = RestPages.read(c, null, "u", "[{\"id\":1},{\"id\":2}]", null, "5", 200);
        assertThat(first.items()).hasSize(2);
        assertThat(first.next()).isEqualTo("2");
        assertThat(first.done()).isFalse();
        RestPages.Page last = RestPages.read(c, "4", "u", "[{\"id\":5}]", null, "5", 200);
        assertThat(last.done()).isTrue();
        assertThatThrownBy(() -> RestPages.read(c, "2", "u", "[{\"id\":3}]", null, null, 200))
                .hasMessageContaining("no X-Total-Count header");
        assertThatThrownBy(() -> RestPages.read(c, "2", "u", "[{\"id\":3}]", null, "many", 200))
                .hasMessageContaining("X-Total-Count header is not a number");
    }

}
