package dev.reel.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** docker-compose.yml after Compose's own interpolation of {@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR:?error}}. */
final class ComposeFile {

    static final Path FILE = Repo.DEPLOY.resolve("docker-compose.yml");
    static final Path ENV_EXAMPLE = Repo.DEPLOY.resolve(".env.example");

    private static final Pattern REFERENCE = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

    final JsonNode root;

    private ComposeFile(JsonNode root) {
        this.root = root;
    }

    /** Parses the file as {@code docker compose} would with {@code variables} as its .env. */
    static ComposeFile with(Map<String, String> variables) {
        return new ComposeFile(Repo.yaml(interpolate(Repo.read(FILE), variables)));
    }

    /** The .env.example file: {@code NAME=value} lines, comments and blank lines skipped. */
    static Map<String, String> envExample() {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String line : Repo.read(ENV_EXAMPLE).split("\n")) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                int eq = trimmed.indexOf('=');
                variables.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
            }
        }
        return variables;
    }

    /** Compose's rules; a {@code :?} variable that is unset or empty is an error, as {@code docker compose} reports it. */
    static String interpolate(String text, Map<String, String> variables) {
        List<String> errors = new ArrayList<>();
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$$")) {
                replacement = "$";
            } else {
                String value = variables.get(m.group(1));
                String operator = m.group(2);
                boolean unsetOrEmpty = value == null || value.isEmpty();
                if (operator == null) {
                    replacement = value == null ? "" : value;
                } else if (operator.endsWith("-")) {
                    replacement = (operator.startsWith(":") ? unsetOrEmpty : value == null) ? m.group(3) : value;
                } else {
                    if (operator.startsWith(":") ? unsetOrEmpty : value == null) {
                        errors.add(m.group(1) + ": " + m.group(3));
                    }
                    replacement = value == null ? "" : value;
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("required variables missing: " + errors);
        }
        return out.toString();
    }

    Map<String, JsonNode> services() {
        Map<String, JsonNode> services = new LinkedHashMap<>();
        root.path("services").properties().forEach(e -> services.put(e.getKey(), e.getValue()));
        return services;
    }

    /** A service's {@code environment}, in map or list form. */
    static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode node = service.path("environment");
        if (node.isArray()) {
            node.forEach(entry -> {
                String text = entry.asText();
                int eq = text.indexOf('=');
                env.put(eq < 0 ? text : text.substring(0, eq), eq < 0 ? "" : text.substring(eq + 1));
            });
        } else {
            node.properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        }
        return env;
    }
}
