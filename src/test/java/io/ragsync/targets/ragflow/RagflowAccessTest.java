package io.ragsync.targets.ragflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RagflowAccessTest {

    @Test
    void grantsAndReadableTokensMeetOnlyForTheRightTenantAndRole() {
        assertThat(RagflowAccess.grants("acme", List.of("hr"))).containsExactly("acme/hr");
        assertThat(RagflowAccess.grants(null, List.of())).containsExactly("*/*");
        assertThat(RagflowAccess.readable("acme", List.of("hr")))
                .containsExactlyInAnyOrder("acme/hr", "acme/*", "*/hr", "*/*");
        assertThat(RagflowAccess.readable(null, List.of("hr"))).containsExactlyInAnyOrder("*/hr", "*/*");
        assertThat(RagflowAccess.readable("globex", List.of("hr"))).doesNotContain("acme/hr");
    }

    @Test
    void namesCannotSplitOrForgeATokenOrBeRagflowSeparators() {
        List<String> grants = RagflowAccess.grants("a/b", List.of("x,y", "*", "r；s|t"));
        assertThat(grants).allSatisfy(token -> assertThat(token).doesNotContainPattern("[、,，;；|]")
                .matches("[^/]+/[^/]+"));
        assertThat(grants).doesNotContain("a/b/*", "*/*");
        assertThat(RagflowAccess.readable("a/b", List.of("*"))).containsAll(List.of(grants.get(1)));
    }

    @Test
    void theCallersConditionIsKeptOnlyWhenItsLogicIsAnd() {
        Map<String, Object> mine = Map.of("logic", "and", "conditions",
                List.of(Map.of("name", "title", "comparison_operator", "is", "value", "x")));
        assertThat((List<?>) RagflowAccess.condition(mine, "acme", List.of()).get("conditions")).hasSize(2);
        assertThatThrownBy(() -> RagflowAccess.condition(Map.of("logic", "or", "conditions", List.of()), "acme", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
