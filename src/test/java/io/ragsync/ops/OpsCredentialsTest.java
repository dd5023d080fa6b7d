package io.ragsync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpsCredentialsTest {

    @Test
    void aConfiguredPasswordIsUsedAndNeverShown() {
        OpsCredentials credentials = new OpsCredentials("admin", " s3cret-value ");
        assertThat(credentials.user()).isEqualTo("admin");
        assertThat(credentials.password()).isEqualTo("s3cret-value");
        assertThat(credentials.generated()).isFalse();
        assertThat(credentials.toString()).doesNotContain("s3cret").contains("configured");
    }

    @Test
    void withoutAPasswordARandomOneIsGeneratedPerRun() {
        OpsCredentials one = new OpsCredentials("ops", "");
        OpsCredentials two = new OpsCredentials(null, null);
        assertThat(one.generated()).isTrue();
        assertThat(one.password()).hasSizeGreaterThanOrEqualTo(20).isNotEqualTo(two.password());
        assertThat(two.user()).isEqualTo("ops");
        assertThat(one.toString()).doesNotContain(one.password());
    }
}
