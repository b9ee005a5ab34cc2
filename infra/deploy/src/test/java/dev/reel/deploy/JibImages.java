package dev.reel.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** The jib-maven-plugin configuration of a service's pom: the image it builds, its base, main class and ports. */
record JibImages(String image, String baseImage, String mainClass, List<Integer> ports, String module) {

    static JibImages of(Service service) {
        Path pom = Repo.ROOT.resolve(service.module).resolve("pom.xml");
        try {
            var factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Element project = factory.newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
            Element jib = jibPlugin(project, pom);
            List<Integer> ports = new ArrayList<>();
            NodeList portNodes = jib.getElementsByTagName("port");
            for (int i = 0; i < portNodes.getLength(); i++) {
                ports.add(Integer.parseInt(portNodes.item(i).getTextContent().trim()));
            }
            return new JibImages(
                    text(jib, "to", pom).replace("${project.version}", Repo.VERSION),
                    text(jib, "from", pom),
                    only(jib, "mainClass", pom).getTextContent().trim(),
                    List.copyOf(ports),
                    service.module);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the Jib configuration of " + pom + ": " + e.getMessage(), e);
        }
    }

    private static Element jibPlugin(Element project, Path pom) {
        NodeList plugins = project.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            if ("jib-maven-plugin".equals(only(plugin, "artifactId", pom).getTextContent().trim())
                    && plugin.getParentNode().getParentNode().getNodeName().equals("build")) {
                return plugin;
            }
        }
        throw new IllegalStateException(pom + " has no jib-maven-plugin in <build><plugins>");
    }

    /** {@code <to><image>...</image></to>} and the like. */
    private static String text(Element jib, String parent, Path pom) {
        return only(only(jib, parent, pom), "image", pom).getTextContent().trim();
    }

    private static Element only(Element parent, String tag, Path pom) {
        List<Element> found = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element && element.getTagName().equals(tag)) {
                found.add(element);
            }
        }
        if (found.isEmpty()) {
            NodeList nested = parent.getElementsByTagName(tag);
            if (nested.getLength() == 1) {
                return (Element) nested.item(0);
            }
            throw new IllegalStateException(pom + ": no single <" + tag + "> under <" + parent.getTagName() + ">");
        }
        return found.getFirst();
    }
}
