package dev.reel.deploy;

import dev.reel.service.config.StreamsAppSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code REEL_*} variables a module's code can read: names inside string literals of its main Java sources
 * and inside its main resources (logback's {@code ${REEL_LOG_LEVEL}}), plus service-kit's, which every service
 * uses for Kafka, S3 and the instance id. A literal that is a prefix ({@code "REEL_CATALOG_"}) names the variables a
 * Streams service reads through {@link StreamsAppSettings}: the prefix with each of its suffixes.
 */
final class VariablesInCode {

    private static final Pattern STRING_LITERAL = Pattern.compile("\"(?:[^\"\\\\\\n]|\\\\.)*\"");
    private static final Pattern VARIABLE = Pattern.compile("REEL_[A-Z0-9_]*[A-Z0-9]");
    private static final Pattern PREFIX = Pattern.compile("\"(REEL_[A-Z0-9_]*_)\"");

    private VariablesInCode() {
    }

    static Set<String> readBy(String module) {
        Set<String> names = new TreeSet<>(scan(Repo.ROOT.resolve(module)));
        names.addAll(scan(Repo.ROOT.resolve("service-kit")));
        return names;
    }

    private static Set<String> scan(Path module) {
        Path java = module.resolve("src/main/java");
        if (!Files.isDirectory(java)) {
            throw new IllegalStateException("no main sources at " + java + " (run the test from infra/deploy)");
        }
        Set<String> names = new TreeSet<>();
        for (Path source : Repo.files(java, ".java")) {
            Matcher literal = STRING_LITERAL.matcher(Repo.read(source));
            while (literal.find()) {
                collect(literal.group(), names);
                Matcher prefix = PREFIX.matcher(literal.group());
                if (prefix.matches()) {
                    StreamsAppSettings.SUFFIXES.forEach(suffix -> names.add(prefix.group(1) + suffix));
                }
            }
        }
        Path resources = module.resolve("src/main/resources");
        if (Files.isDirectory(resources)) {
            for (Path resource : Repo.files(resources, ".xml")) {
                collect(Repo.read(resource), names);
            }
        }
        return names;
    }

    private static void collect(String text, Set<String> names) {
        Matcher variable = VARIABLE.matcher(text);
        while (variable.find()) {
            names.add(variable.group());
        }
    }
}
