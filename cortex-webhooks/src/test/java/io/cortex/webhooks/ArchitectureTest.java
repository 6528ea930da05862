package io.cortex.webhooks;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.cortex.webhooks.internal.DispatcherMeters;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  private static final JavaClasses WEBHOOKS = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.cortex.webhooks");

  @Test
  void onlyTheDispatcherMetersNameMicrometerTypes() {
    noClasses().that().doNotBelongToAnyOf(DispatcherMeters.class)
        .should().dependOnClassesThat().resideInAPackage("io.micrometer..")
        .because("Micrometer is optional: the dispatcher and its builder must load without it")
        .check(WEBHOOKS);
  }

  @Test
  void theWebhooksModuleNeverUsesCoresInternals() {
    noClasses().should().dependOnClassesThat().resideInAPackage("io.cortex.core.internal..")
        .check(WEBHOOKS);
  }
}
