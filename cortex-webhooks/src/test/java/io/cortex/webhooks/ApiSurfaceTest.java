package io.cortex.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API leaks neither BouncyCastle nor internal types, and the signer and verifier use
 * neither cortex-core nor the dispatcher, so a receiver needs neither.
 */
class ApiSurfaceTest {

  private static Path classesRoot() throws URISyntaxException {
    return Path.of(WebhookSigner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static List<Class<?>> publicApiClasses() throws Exception {
    List<Class<?>> classes = new ArrayList<>();
    try (Stream<Path> files = Files.list(classesRoot().resolve("io/cortex/webhooks"))) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        if (name.endsWith(".class") && !name.equals("package-info.class")) {
          Class<?> c = Class.forName("io.cortex.webhooks." + name.replace(".class", ""));
          if (Modifier.isPublic(c.getModifiers())) {
            classes.add(c);
          }
        }
      }
    }
    return classes;
  }

  @Test
  void publicSignaturesExposeNoBouncyCastleOrInternalTypes() throws Exception {
    List<String> leaks = new ArrayList<>();
    List<Class<?>> api = publicApiClasses();
    assertThat(api).contains(WebhookSigner.class, WebhookVerifier.class, UrlPolicy.Rule.class);
    for (Class<?> c : api) {
      List<Type> types = new ArrayList<>();
      for (Method m : c.getDeclaredMethods()) {
        if (Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers())) {
          types.add(m.getGenericReturnType());
          types.addAll(List.of(m.getGenericParameterTypes()));
        }
      }
      for (Constructor<?> k : c.getDeclaredConstructors()) {
        if (Modifier.isPublic(k.getModifiers())) {
          types.addAll(List.of(k.getGenericParameterTypes()));
        }
      }
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isPublic(f.getModifiers())) {
          types.add(f.getGenericType());
        }
      }
      for (Type t : types) {
        String name = t.getTypeName();
        if (name.contains("org.bouncycastle") || name.contains(".internal.")) {
          leaks.add(c.getSimpleName() + " exposes " + name);
        }
      }
    }
    assertThat(leaks).isEmpty();
  }

  /**
   * The classes a receiver needs to sign and verify, which must work without cortex-core (and
   * Jackson) on the class path: named with their nested classes.
   */
  private static final List<String> STANDALONE = List.of("WebhookSigner", "WebhookVerifier",
      "WebhookSecret", "WebhookSigningKey", "WebhookPublicKey", "SignatureHeaders",
      "VerifiedWebhook", "HeaderLookup", "WebhookHeaders", "WebhookVerificationException",
      "internal/HmacSha256", "internal/Ed25519Support", "internal/SignedContent",
      "internal/KeyText", "internal/Excerpt", "internal/Preconditions");

  private static final Pattern WEBHOOKS_CLASS =
      Pattern.compile("io/cortex/webhooks/([A-Za-z0-9_/]+)[$;.]?");

  private static boolean standalone(String relative) {
    String outer = relative.replaceFirst("\\$.*", "");
    return STANDALONE.contains(outer);
  }

  @Test
  void signerAndVerifierReferenceNeitherCortexCoreNorTheDispatcher() throws Exception {
    Path root = classesRoot().resolve("io/cortex/webhooks");
    List<String> checked = new ArrayList<>();
    List<String> offenders = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String relative = root.relativize(p).toString().replace('\\', '/');
        if (!relative.endsWith(".class") || !standalone(relative.replace(".class", ""))) {
          continue;
        }
        checked.add(relative);
        String bytes = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        if (bytes.contains("io/cortex/core/")) {
          offenders.add(relative + " references cortex-core");
        }
        Matcher m = WEBHOOKS_CLASS.matcher(bytes);
        while (m.find()) {
          if (!standalone(m.group(1))) {
            offenders.add(relative + " references io.cortex.webhooks." + m.group(1));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(checked).contains("WebhookSigner.class", "WebhookVerifier.class",
        "internal/HmacSha256.class");
    assertThat(offenders).isEmpty();
  }

  @Test
  void theDispatcherDoesUseCortexCore() throws Exception {
    String bytes = new String(Files.readAllBytes(
        classesRoot().resolve("io/cortex/webhooks/WebhookDispatcher.class")),
        StandardCharsets.ISO_8859_1);
    assertThat(bytes).as("the test above would be vacuous if nothing referenced core")
        .contains("io/cortex/core/");
  }
}
