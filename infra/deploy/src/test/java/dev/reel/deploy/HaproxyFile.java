package dev.reel.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An haproxy.cfg as sections ({@code backend edges}) of directives, comments and blank lines dropped. */
record HaproxyFile(String where, String text, Map<String, List<String>> sections) {

    /** A {@code server} or {@code server-template} line: the backend it is in, host and port. */
    record Server(String backend, String host, int port) {
    }

    static HaproxyFile parse(String where, String text) {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = null;
        for (String raw : text.split("\n")) {
            String line = raw.strip().replaceAll("\\s+", " ");
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!Character.isWhitespace(raw.charAt(0))) {
                current = new ArrayList<>();
                sections.put(line, current);
            } else if (current != null) {
                current.add(line);
            }
        }
        return new HaproxyFile(where, text, sections);
    }

    List<Server> servers() {
        List<Server> servers = new ArrayList<>();
        sections.forEach((section, lines) -> {
            if (section.startsWith("backend ")) {
                for (String line : lines) {
                    String[] words = line.split(" ");
                    String address = switch (words[0]) {
                        case "server" -> words[2];
                        case "server-template" -> words[3];
                        default -> null;
                    };
                    if (address != null) {
                        int colon = address.lastIndexOf(':');
                        servers.add(new Server(section.substring("backend ".length()), address.substring(0, colon),
                                Integer.parseInt(address.substring(colon + 1))));
                    }
                }
            }
        });
        return servers;
    }
}
