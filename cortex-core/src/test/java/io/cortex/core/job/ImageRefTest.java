package io.cortex.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageRefTest {
    private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

    static Stream<Arguments> validReferences() {
        return Stream.of(
                // text, registry, repository, tag (null = none), digest (null = none), canonical text
                Arguments.of("ubuntu", "docker.io", "ubuntu", "latest", null, "ubuntu:latest"),
                Arguments.of("ubuntu:22.04", "docker.io", "ubuntu", "22.04", null, "ubuntu:22.04"),
                Arguments.of("library/ubuntu", "docker.io", "library/ubuntu", "latest", null, "library/ubuntu:latest"),
                Arguments.of("ghcr.io/acme/train:1.2", "ghcr.io", "acme/train", "1.2", null, "ghcr.io/acme/train:1.2"),
                Arguments.of("registry.example.com:5000/ns/repo:tag@" + DIGEST, "registry.example.com:5000", "ns/repo",
                        "tag", DIGEST, "registry.example.com:5000/ns/repo:tag@" + DIGEST),
                Arguments.of("localhost:5000/x", "localhost:5000", "x", "latest", null, "localhost:5000/x:latest"),
                Arguments.of("localhost/x", "localhost", "x", "latest", null, "localhost/x:latest"),
                Arguments.of("repo@" + DIGEST, "docker.io", "repo", null, DIGEST, "repo@" + DIGEST),
                Arguments.of("[::1]:5000/repo:tag", "[::1]:5000", "repo", "tag", null, "[::1]:5000/repo:tag"),
                Arguments.of("  ubuntu  ", "docker.io", "ubuntu", "latest", null, "ubuntu:latest"),
                Arguments.of("a/b_c/d__e/f-g/h--i.j:V1_x-y.z", "docker.io", "a/b_c/d__e/f-g/h--i.j", "V1_x-y.z", null,
                        "a/b_c/d__e/f-g/h--i.j:V1_x-y.z"),
                Arguments.of("repo:" + "t".repeat(128), "docker.io", "repo", "t".repeat(128), null, "repo:" + "t".repeat(128)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validReferences")
    void parsesRegistryRepositoryTagAndDigest(String text, String registry, String repository, String tag, String digest,
            String canonical) {
        ImageRef ref = ImageRef.parse(text);

        assertThat(ref.registry()).isEqualTo(registry);
        assertThat(ref.repository()).isEqualTo(repository);
        assertThat(ref.tag()).isEqualTo(Optional.ofNullable(tag));
        assertThat(ref.digest()).isEqualTo(Optional.ofNullable(digest));
        assertThat(ref).hasToString(canonical);
        assertThat(ImageRef.parse(ref.toString())).isEqualTo(ref);
    }

    static Stream<Arguments> invalidReferences() {
        String hex63 = "0123456789abcdef".repeat(4).substring(1);
        return Stream.of(
                // text, a fragment of the rule the message must state
                Arguments.of("", "empty"),
                Arguments.of("   ", "empty"),
                Arguments.of("Ubuntu", "lower case"),
                Arguments.of("acme/Train", "lower case"),
                Arguments.of("ghcr.io/Acme/train:1", "lower case"),
                Arguments.of("repo@sha256:abc", "64 lower-case hex"),
                Arguments.of("repo@sha256:" + "0123456789ABCDEF".repeat(4), "64 lower-case hex"),
                Arguments.of("repo@md5:" + "0123456789abcdef".repeat(2), "must be sha256:"),
                Arguments.of("repo@", "must be sha256:"),
                Arguments.of("repo:", "tag ''"),
                Arguments.of("repo:-bad", "not starting with '.' or '-'"),
                Arguments.of("repo:.bad", "not starting with '.' or '-'"),
                Arguments.of("repo:" + "t".repeat(129), "1 to 128"),
                Arguments.of("repo:ta/g", "registry"),
                Arguments.of("a//b", "repository component ''"),
                Arguments.of("/repo", "repository component ''"),
                Arguments.of("repo/", "repository component ''"),
                Arguments.of("re..po", "repository component 're..po'"),
                Arguments.of("-repo", "repository component '-repo'"),
                Arguments.of(":tag", "repository is empty"),
                Arguments.of("@" + "sha256:" + "0".repeat(64), "repository is empty"),
                Arguments.of("host:port/repo", "registry 'host:port'"),
                Arguments.of("bad_host.io/repo", "registry 'bad_host.io'"),
                Arguments.of("a".repeat(256), "longer than 255"),
                Arguments.of("repo:tag@sha256:" + hex63 + "G", "64 lower-case hex"));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("invalidReferences")
    void refusesBadReferencesNamingTheValueAndTheRule(String text, String rule) {
        assertThatIllegalArgumentException().isThrownBy(() -> ImageRef.parse(text))
                .withMessageStartingWith("image '" + text + "' is not a valid image reference: ")
                .withMessageContaining(rule);
    }

    @Test
    void refusesNull() {
        assertThatNullPointerException().isThrownBy(() -> ImageRef.parse(null)).withMessage("image cannot be null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ubuntu", "ubuntu:latest", "docker.io/ubuntu", "docker.io/ubuntu:latest", " ubuntu "})
    void spellingsOfOneImageAreEqualWithOneHashCode(String text) {
        ImageRef canonical = ImageRef.parse("ubuntu:latest");

        assertThat(ImageRef.parse(text)).isEqualTo(canonical).hasSameHashCodeAs(canonical);
    }

    @Test
    void imagesDifferingInAnyPartAreNotEqual() {
        ImageRef base = ImageRef.parse("ghcr.io/acme/train:1.2");

        assertThat(base)
                .isNotEqualTo(ImageRef.parse("docker.io/acme/train:1.2"))
                .isNotEqualTo(ImageRef.parse("ghcr.io/acme/test:1.2"))
                .isNotEqualTo(ImageRef.parse("ghcr.io/acme/train:1.3"))
                .isNotEqualTo(ImageRef.parse("ghcr.io/acme/train:1.2@" + DIGEST))
                .isNotEqualTo("ghcr.io/acme/train:1.2");
        assertThat(ImageRef.parse("library/ubuntu")).isNotEqualTo(ImageRef.parse("ubuntu"));
        assertThat(ImageRef.parse("repo@" + DIGEST)).isNotEqualTo(ImageRef.parse("repo:latest@" + DIGEST));
    }

    @Test
    void defaultRegistryIsDockerHub() {
        assertThat(ImageRef.DEFAULT_REGISTRY).isEqualTo("docker.io");
    }
}
