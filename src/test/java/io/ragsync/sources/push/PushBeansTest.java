package io.ragsync.sources.push;

import io.ragsync.platform.api.ApiException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ragsync.platform.storage.StorageFiles;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unit tests of the push API beans, without Camel routes or a database. */
class PushBeansTest {

    final PushRequests requests = new PushRequests(new LinkFetchGuard(false), 100, 1000, 30000);

    @Test
    void storedFileNamesAreSafeTextNames() {
        assertThat(PushRequests.storedFileName("manual.pdf", "x")).isEqualTo("manual.pdf.txt");
        assertThat(PushRequests.storedFileName("notes.md", "x")).isEqualTo("notes.md");
        assertThat(PushRequests.storedFileName("Notes.TXT", "x")).isEqualTo("Notes.TXT");
        assertThat(PushRequests.storedFileName("../../etc/passwd", "x")).isEqualTo("passwd.txt");
        assertThat(PushRequests.storedFileName("C:\\docs\\Plan été 2026.docx", "x")).isEqualTo("Plan_été_2026.docx.txt");
        assertThat(PushRequests.storedFileName("..", "document-7")).isEqualTo("document-7.txt");
        assertThat(PushRequests.storedFileName(null, "link-3")).isEqualTo("link-3.txt");
        assertThat(PushRequests.storedFileName(".hidden", "x")).isEqualTo("hidden.txt");
        assertThat(PushRequests.storedFileName("a\u0000b\nc.txt", "x")).isEqualTo("abc.txt");
        assertThat(PushRequests.storedFileName("\u0085x\uD835\uDC00 \uD83D\uDE00.txt", "x"))
                .isEqualTo("x\uD835\uDC00_.txt");
        assertThat(PushRequests.storedFileName("y".repeat(300) + ".md", "x")).hasSize(PushRequests.FILE_STEM_LIMIT + 3);
    }

    /** The web server's async timeout lets a push fetch its link and wait its full time, then answer (202). */
    @Test
    void theAsyncRequestTimeoutOutlastsALinkFetchAndTheFullSyncWait() {
        assertThat(asyncTimeout(new PushRequestTimeout(30_000, 30_000, java.time.Duration.ZERO)))
                .isGreaterThan(60_000L);
        assertThat(asyncTimeout(new PushRequestTimeout(30_000, 30_000, java.time.Duration.ofMinutes(5))))
                .isEqualTo(300_000L);
    }

    /** The timeout the bean sets, null for none (the web server's default). */
    private static Long asyncTimeout(PushRequestTimeout bean) {
        class Configurer extends org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer {
            Long timeout() {
                return getTimeout();
            }
        }
        Configurer configurer = new Configurer();
        bean.configureAsyncSupport(configurer);
        return configurer.timeout();
    }

    @Test
    void idsAreEchoedAsNumbersWhenTheyAreNumbers() {
        assertThat(PushRequests.idValue("42")).isEqualTo(42L);
        assertThat(PushRequests.idValue("abc-1")).isEqualTo("abc-1");
        assertThat(PushRequests.idValue(null)).isNull();
    }

    @Test
    void documentRequestIsValidatedFieldByField() {
        Exchange ok = exchange("{\"chatbot_id\":5,\"content\":\"hello\",\"metadata\":{\"filename\":\"a.pdf\"}}", "document_id", "9");
        PushRequests.Request request = requests.document(ok);
        assertThat(request.chatbotId()).isEqualTo("5");
        assertThat(request.sourceId()).isEqualTo("9");
        assertThat(request.fileName()).isEqualTo("a.pdf.txt");
        assertThat(request.title()).isEqualTo("a.pdf");
        assertThat(request.contentBytes()).isEqualTo(5L);
        assertThat(request.waitMs()).isEqualTo(30000L);

        assertError(() -> requests.document(exchange("{\"chatbot_id\":5}", "document_id", "9")), 422, "content");
        assertError(() -> requests.document(exchange("{\"chatbot_id\":1.5,\"content\":\"x\"}", "document_id", "9")), 422, "chatbot_id");
        assertError(() -> requests.document(exchange("{\"chatbot_id\":\"../x\",\"content\":\"x\"}", "document_id", "9")), 422, "chatbot_id");
        assertError(() -> requests.document(exchange("{\"chatbot_id\":5,\"content\":\"" + "x".repeat(101) + "\"}", "document_id", "9")),
                413, "content");
        assertError(() -> requests.document(exchange("{\"chatbot_id\":5,\"content\":\"x\"}", "document_id", ".hidden")), 400, "document_id");
        assertError(() -> requests.document(exchange("{not json", "document_id", "9")), 400, null);
        assertError(() -> requests.document(exchange("x".repeat(1001), "document_id", "9")), 413, null);
        assertError(() -> requests.document(exchange("{\"chatbot_id\":5,\"content\":\"x\",\"metadata\":{\"file_size\":\"12\"}}",
                "document_id", "9")), 422, "metadata.file_size");
    }

    @Test
    void linkRequestNeedsAnHttpUrl() {
        Exchange ok = exchange("{\"chatbot_id\":\"bot-1\",\"url\":\"https://example.com/a\",\"metadata\":{\"title\":\"Shop hours\"}}",
                "link_id", "3");
        PushRequests.Request request = requests.link(ok);
        assertThat(request.content()).as("fetched by the hub").isNull();
        assertThat(request.fileName()).isEqualTo("Shop_hours.txt");
        assertError(() -> requests.link(exchange("{\"chatbot_id\":1,\"url\":\"gopher://x\"}", "link_id", "3")), 422, "url");
        assertError(() -> requests.link(exchange("{\"chatbot_id\":1,\"url\":\"https://x\",\"content\":5}", "link_id", "3")), 422, "content");
    }

    @Test
    void guardRefusesInternalAddressesUnlessAllowed() throws Exception {
        for (String internal : new String[] {"127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
                "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "224.0.0.1"}) {
            assertThat(LinkFetchGuard.isInternal(InetAddress.getByName(internal))).as(internal).isTrue();
        }
        for (String external : new String[] {"93.184.216.34", "8.8.8.8", "2606:4700::1111"}) {
            assertThat(LinkFetchGuard.isInternal(InetAddress.getByName(external))).as(external).isFalse();
        }
        LinkFetchGuard guard = new LinkFetchGuard(false);
        assertThatThrownBy(() -> guard.resolve("localhost")).isInstanceOf(LinkFetchGuard.ForbiddenAddressException.class);
        assertError(() -> guard.checkUrl("http://127.0.0.1:8080/x"), 422, "url");
        assertError(() -> guard.checkUrl("file:///etc/passwd"), 422, "url");
        assertError(() -> guard.checkUrl("http://user:pw@example.com/"), 422, "url");
        guard.setAllowPrivate(true);
        assertThat(guard.resolve("127.0.0.1")).hasSize(1);
        assertThat(guard.checkUrl("http://127.0.0.1:8080/x")).isEqualTo("http://127.0.0.1:8080/x");
    }

    @Test
    void htmlBecomesReadableText() {
        HtmlText html = new HtmlText();
        String page = "<html><head><title> Shop </title><script>alert(1)</script></head><body><header>Menu</header>"
                + "<main><h2>Hours</h2><p>Open   <i>daily</i>&nbsp;9-18.</p><table><tr><td>Mon</td><td>9</td></tr></table>"
                + "</main><footer>(c)</footer></body></html>";
        assertThat(html.extract(page.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8", "http://x/"))
                .isEqualTo("Shop\n\nHours\n\nOpen daily 9-18.\n\nMon\n\n9");
        assertThat(html.extract("  plain\r\n\r\n\r\ntext ".getBytes(StandardCharsets.UTF_8), "text/plain", null))
                .isEqualTo("plain\n\ntext");
        byte[] latin1 = "<p>caf\u00e9</p>".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(html.extract(latin1, "text/html; charset=ISO-8859-1", null)).isEqualTo("café");
        // lines trimmed of any Unicode white space, at most one empty line kept
        assertThat(HtmlText.normalise(" a\u3000 \n\u2028\n\r\n\n b \u00a0c \r x\u000B\t")).isEqualTo("a\n\nb c\nx");
        assertError(() -> html.extract(new byte[] {1}, "application/pdf", null), 422, "url");
    }

    @Test
    void filesAreReplacedAtomicallyAndOldNamesRemoved(@TempDir Path root) throws Exception {
        PushFiles files = new PushFiles(new StorageFiles(root.toString()));
        files.write("push/1/document/9/a.txt", "one".getBytes(StandardCharsets.UTF_8));
        files.write("push/1/document/9/a.txt", "two".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(root.resolve("push/1/document/9/a.txt"))).isEqualTo("two");
        files.write("push/1/document/9/b.md", "three".getBytes(StandardCharsets.UTF_8));
        try (var listing = Files.list(root.resolve("push/1/document/9"))) {
            assertThat(listing.map(p -> p.getFileName().toString()).toList()).containsExactly("b.md");
        }
        assertThatThrownBy(() -> files.write("push/../../escape.txt", new byte[] {1})).isInstanceOf(IllegalArgumentException.class);
        files.deleteKnowledgeBaseFolder(1L);
        assertThat(Files.exists(root.resolve("push/1"))).isFalse();
    }

    private static Exchange exchange(String body, String idHeader, String id) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setBody(body.getBytes(StandardCharsets.UTF_8));
        exchange.getIn().setHeaders(new java.util.HashMap<>(Map.of(idHeader, id)));
        return exchange;
    }

    private static void assertError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, int status, String field) {
        assertThatThrownBy(call).isInstanceOf(ApiException.class).satisfies(e -> {
            assertThat(((ApiException) e).getStatus()).as(e.getMessage()).isEqualTo(status);
            assertThat(((ApiException) e).getField()).as(e.getMessage()).isEqualTo(field);
        });
    }
}
