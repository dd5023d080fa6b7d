package io.ragsync.sources.push;

import io.ragsync.platform.api.ApiException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;
import org.springframework.stereotype.Component;

/**
 * A fetched page as readable text (jsoup): the title, then the main content (or the body) one paragraph per block
 * element, separated by empty lines as chunkers expect, without scripts, navigation, headers, footers and forms.
 */
@Component("htmlText")
public class HtmlText {

    private static final String NOISE = "script, style, noscript, template, svg, canvas, iframe, nav, header, footer,"
            + " form, button, select, aside, [hidden], [aria-hidden=true]";

    /** Characters of the extracted text, for the log (a Simple ${body.length()} would evaluate the text). */
    public int length(@Body String text) {
        return text == null ? 0 : text.length();
    }

    /** Body (bytes) and Content-Type of the fetched page to text. */
    public String extract(@Body byte[] page, @Header(Exchange.CONTENT_TYPE) String contentType,
                          @ExchangeProperty("url") String url) {
        byte[] body = page == null ? new byte[0] : page;
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        Charset charset = charset(type);
        if (type.startsWith("text/plain") || type.startsWith("text/markdown")) {
            return normalise(new String(body, charset == null ? StandardCharsets.UTF_8 : charset));
        }
        if (!type.isEmpty() && !type.startsWith("text/html") && !type.startsWith("application/xhtml")) {
            throw new ApiException(422, "unsupported_content_type", "url", "the link answered with content type '"
                    + contentType + "': only HTML and plain text pages are fetched; push other documents with their content");
        }
        try {
            Document document = Jsoup.parse(new ByteArrayInputStream(body), charset == null ? null : charset.name(),
                    url == null ? "" : url);
            return text(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(Document document) {
        document.select(NOISE).remove();
        StringBuilder out = new StringBuilder();
        String title = document.title().strip();
        if (!title.isEmpty()) {
            out.append(title).append("\n\n");
        }
        Element root = document.body() != null ? document.body() : document;
        Element main = root.selectFirst("main, article, [role=main]");
        NodeTraversor.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof TextNode text) {
                    out.append(text.text());
                } else if (node instanceof Element e && (e.isBlock() || e.nameIs("br"))) {
                    out.append('\n');
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element e && e.isBlock()) {
                    out.append('\n');
                }
            }
        }, main != null ? main : root);
        return normalise(out.toString());
    }

    /** Collapses runs of spaces, trims lines, keeps at most one empty line between paragraphs. */
    static String normalise(String text) {
        return text.replace("\r\n", "\n").replace('\r', '\n').replace('\u00a0', ' ')
                .replaceAll("[ \\t\\x0B\\f]+", " ")
                .replaceAll("(?md)^[\\p{javaWhitespace}&&[^\\n]]+|[\\p{javaWhitespace}&&[^\\n]]+$", "")
                .replaceAll("\\n{3,}", "\n\n").strip();
    }

    private static Charset charset(String contentType) {
        int at = contentType.indexOf("charset=");
        if (at < 0) {
            return null;
        }
        String name = contentType.substring(at + 8).split("[;\\s]")[0].replace("\"", "").strip();
        try {
            return Charset.forName(name);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
