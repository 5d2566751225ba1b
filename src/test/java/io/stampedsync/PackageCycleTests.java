package io.stampedsync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The main packages depend on each other without cycles, so each feature can be read, and
 * changed, from its own package down. Dependencies are read from the sources: every
 * {@code io.stampedsync.<package>.<Type>} a class names in its code, imported or fully
 * qualified; comments and string literals do not count.
 */
class PackageCycleTests {

	private static final Path SOURCES = Path.of("src", "main", "java");

	/**
	 * A reference to a type of ours: the package is everything before the type's name.
	 */
	private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.stampedsync(?:\\.[a-z][a-z0-9_]*)*)\\.[A-Z]");

	private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

	@Test
	void mainPackagesHaveNoCycles() throws IOException {
		Map<String, Set<String>> graph = dependencies(SOURCES);

		assertThat(graph.keySet()).as("packages read from %s", SOURCES)
			.contains("io.stampedsync.batch", "io.stampedsync.subscription", "io.stampedsync.outbound");
		List<String> cycles = cycles(graph).stream()
			.map((group) -> group + " by " + edgesWithin(graph, group))
			.toList();
		assertThat(cycles).as("package cycles, each with the dependencies that close it").isEmpty();
	}

	@Test
	void findsACycleThroughSeveralPackagesAndNoneInAChain() {
		Map<String, Set<String>> cyclic = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a", "d"), "d",
				Set.of());
		Map<String, Set<String>> chain = Map.of("a", Set.of("b", "c"), "b", Set.of("c"), "c", Set.of());

		assertThat(cycles(cyclic)).containsExactly(Set.of("a", "b", "c"));
		assertThat(cycles(chain)).isEmpty();
	}

	@Test
	void readsReferencesFromCodeButNotFromCommentsOrStrings() {
		String source = """
				package io.stampedsync.a;
				import io.stampedsync.b.Bee;
				import static io.stampedsync.c.Sea.WAVE;
				// io.stampedsync.d.Dee in a comment
				/** {@link io.stampedsync.e.Eee} in a Javadoc */
				class A { Object f = new io.stampedsync.f.web.Eff(); String s = "io.stampedsync.g.Gee"; char q = '"'; }
				""";

		assertThat(referencedPackages(codeOnly(source))).containsExactlyInAnyOrder("io.stampedsync.b",
				"io.stampedsync.c", "io.stampedsync.f.web");
	}

	/**
	 * Each package of ours under {@code root}, with the other packages of ours it uses.
	 */
	static Map<String, Set<String>> dependencies(Path root) throws IOException {
		Map<String, Set<String>> graph = new TreeMap<>();
		try (Stream<Path> files = Files.walk(root)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".java")).toList()) {
				String code = codeOnly(Files.readString(file));
				Matcher declared = PACKAGE.matcher(code);
				if (!declared.find()) {
					continue;
				}
				String own = declared.group(1);
				Set<String> uses = graph.computeIfAbsent(own, (name) -> new TreeSet<>());
				referencedPackages(code).stream().filter((used) -> !used.equals(own)).forEach(uses::add);
			}
		}
		return graph;
	}

	private static List<String> edgesWithin(Map<String, Set<String>> graph, Set<String> group) {
		return group.stream()
			.flatMap((from) -> graph.get(from).stream().filter(group::contains).map((to) -> from + " -> " + to))
			.toList();
	}

	private static Set<String> referencedPackages(String code) {
		Set<String> packages = new TreeSet<>();
		Matcher reference = REFERENCE.matcher(code);
		while (reference.find()) {
			packages.add(reference.group(1));
		}
		return packages;
	}

	/**
	 * The source with comments, string, text block and character literals blanked out.
	 */
	static String codeOnly(String source) {
		StringBuilder code = new StringBuilder(source.length());
		int at = 0;
		while (at < source.length()) {
			int end;
			if (source.startsWith("//", at)) {
				end = indexOrEnd(source, "\n", at);
			}
			else if (source.startsWith("/*", at)) {
				end = indexOrEnd(source, "*/", at + 2) + 2;
			}
			else if (source.startsWith("\"\"\"", at)) {
				end = indexOrEnd(source, "\"\"\"", at + 3) + 3;
			}
			else if (source.charAt(at) == '"' || source.charAt(at) == '\'') {
				end = closingQuote(source, at);
			}
			else {
				code.append(source.charAt(at++));
				continue;
			}
			code.append(' ');
			at = Math.min(end, source.length());
		}
		return code.toString();
	}

	private static int indexOrEnd(String source, String token, int from) {
		int index = source.indexOf(token, from);
		return (index >= 0) ? index : source.length();
	}

	private static int closingQuote(String source, int open) {
		char quote = source.charAt(open);
		int at = open + 1;
		while (at < source.length() && source.charAt(at) != quote) {
			at += (source.charAt(at) == '\\') ? 2 : 1;
		}
		return at + 1;
	}

	/**
	 * The strongly connected groups of more than one package (Tarjan's algorithm): each
	 * is a set of packages that all reach each other.
	 */
	static List<Set<String>> cycles(Map<String, Set<String>> graph) {
		return new Tarjan(graph).groups();
	}

	private static final class Tarjan {

		private final Map<String, Set<String>> graph;

		private final Map<String, Integer> index = new HashMap<>();

		private final Map<String, Integer> low = new HashMap<>();

		private final Deque<String> stack = new ArrayDeque<>();

		private final List<Set<String>> groups = new ArrayList<>();

		Tarjan(Map<String, Set<String>> graph) {
			this.graph = graph;
		}

		List<Set<String>> groups() {
			new TreeSet<>(this.graph.keySet()).stream()
				.filter((node) -> !this.index.containsKey(node))
				.forEach(this::visit);
			return this.groups;
		}

		private void visit(String node) {
			this.index.put(node, this.index.size());
			this.low.put(node, this.index.get(node));
			this.stack.push(node);
			for (String next : this.graph.getOrDefault(node, Set.of())) {
				if (!this.index.containsKey(next)) {
					visit(next);
					this.low.put(node, Math.min(this.low.get(node), this.low.get(next)));
				}
				else if (this.stack.contains(next)) {
					this.low.put(node, Math.min(this.low.get(node), this.index.get(next)));
				}
			}
			if (this.low.get(node).equals(this.index.get(node))) {
				Set<String> group = new TreeSet<>();
				String member;
				do {
					member = this.stack.pop();
					group.add(member);
				}
				while (!member.equals(node));
				if (group.size() > 1) {
					this.groups.add(group);
				}
			}
		}

	}

}
