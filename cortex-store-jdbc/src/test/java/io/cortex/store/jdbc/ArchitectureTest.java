package io.cortex.store.jdbc;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module's boundaries: it uses the core's public API only, and its own internals stay its own. */
class ArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.cortex.store.jdbc");

    @Test
    void theStoreUsesNoInternalPackageOfTheCore() {
        noClasses().that().resideInAPackage("io.cortex.store.jdbc..")
                .should().dependOnClassesThat().resideInAPackage("io.cortex.core.internal..")
                .check(classes);
    }

    @Test
    void thePublicApiDoesNotExposeHikariOrFlywayTypes() {
        noClasses().that().resideInAPackage("io.cortex.store.jdbc").and().arePublic()
                .should().dependOnClassesThat().resideInAnyPackage("org.flywaydb..")
                .check(classes);
    }
}
