package io.stampedsync.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The container settings of jib-maven-plugin in {@code pom.xml}, to compare with the
 * Deployment.
 */
record JibSettings(String fromImage, List<String> ports, String user, List<String> entrypoint,
		String containerizingMode, boolean boundToAPhase) {

	static JibSettings read(Path pom) throws Exception {
		Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
		NodeList plugins = document.getElementsByTagName("plugin");
		for (int i = 0; i < plugins.getLength(); i++) {
			Element plugin = (Element) plugins.item(i);
			if ("jib-maven-plugin".equals(text(plugin, "artifactId"))) {
				Element from = (Element) plugin.getElementsByTagName("from").item(0);
				Element entrypoint = (Element) plugin.getElementsByTagName("entrypoint").item(0);
				return new JibSettings(text(from, "image"), texts(plugin, "port"), text(plugin, "user"),
						(entrypoint != null) ? texts(entrypoint, "arg") : List.of(), text(plugin, "containerizingMode"),
						plugin.getElementsByTagName("executions").getLength() > 0);
			}
		}
		throw new AssertionError("no jib-maven-plugin in " + pom);
	}

	private static String text(Element parent, String tag) {
		Node node = parent.getElementsByTagName(tag).item(0);
		return (node != null) ? node.getTextContent().trim() : null;
	}

	private static List<String> texts(Element parent, String tag) {
		NodeList nodes = parent.getElementsByTagName(tag);
		List<String> texts = new ArrayList<>();
		for (int i = 0; i < nodes.getLength(); i++) {
			texts.add(nodes.item(i).getTextContent().trim());
		}
		return texts;
	}

}
