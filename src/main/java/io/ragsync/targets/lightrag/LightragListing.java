package io.ragsync.targets.lightrag;

import io.ragsync.targets.lightrag.LightragApi.Doc;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** LightRAG's documents, read page by page (POST /documents/paginated) up to a page limit. */
public class LightragListing {

    private final List<Doc> docs = new ArrayList<>();
    private final int maxPages;
    private int pages;
    private boolean hasNext = true;

    public LightragListing(int maxPages) {
        this.maxPages = maxPages;
    }

    public int nextPage() {
        return pages + 1;
    }

    void add(List<Doc> page, boolean more) {
        docs.addAll(page);
        pages++;
        hasNext = more && !page.isEmpty();
    }

    public boolean hasNext() {
        return hasNext && pages < maxPages;
    }

    public List<Doc> docs() {
        return docs;
    }

    public Optional<Doc> byFileName(String fileName) {
        return docs.stream().filter(d -> d.filePath().equals(fileName)).findFirst();
    }
}
