package dev.cachet.spring.aot;

import dev.cachet.spring.RunningApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringApplicationAotProcessor;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.util.FileSystemUtils;

/**
 * What a native-image build does before native-image runs, done in this JVM: Spring Boot's own AOT
 * processor runs an application's main method at build time (bean definitions frozen, conditions
 * decided), writes the generated sources, CGLIB proxy classes and hints; the sources are compiled;
 * the application then starts from the generated code alone, as with
 * {@code -Dspring.aot.enabled=true}.
 *
 * <p>The generated classes are defined in the application's own class loader, in the packages of
 * the classes they serve, because generated code calls package-private members (auto-configuration
 * bean methods). A class that already exists there is not defined again: the build phase has
 * already defined the proxy classes it generated.
 */
final class AotBuild {
  private final Class<?> application;
  private final Path output;
  private final RuntimeHints hints;

  private AotBuild(Class<?> application, Path output, RuntimeHints hints) {
    this.application = application;
    this.output = output;
    this.hints = hints;
  }

  /**
   * AOT-processes {@code application} (whose main method runs it with its arguments as properties)
   * into {@code output}, then compiles and defines what was generated.
   */
  static AotBuild process(Class<?> application, Path output, String... properties) {
    RuntimeHints[] written = new RuntimeHints[1];
    AbstractAotProcessor.Settings settings = AbstractAotProcessor.Settings.builder()
        .sourceOutput(output.resolve("sources")).resourceOutput(output.resolve("resources"))
        .classOutput(output.resolve("classes")).groupId("dev.cachet").artifactId("aot-test").build();
    new SpringApplicationAotProcessor(application, settings, properties) {
      @Override
      protected void writeHints(RuntimeHints hints) {
        written[0] = hints;
        super.writeHints(hints);
      }
    }.process();
    AotBuild build = new AotBuild(application, output, Objects.requireNonNull(written[0], "no hints written"));
    build.compile();
    build.define();
    return build;
  }

  /** The hints the build would hand to native-image. */
  RuntimeHints hints() {
    return hints;
  }

  /** Binary names of the classes generated as bytecode at build time (CGLIB proxies). */
  List<String> generatedClasses() {
    return classNames(output.resolve("classes"));
  }

  /** Starts the application from the generated code, with {@code properties} (key=value). */
  ConfigurableApplicationContext run(String... properties) {
    SpringApplication app = RunningApp.application(application, properties);
    // In AOT mode Spring Boot starts the context from <main class>__ApplicationContextInitializer.
    app.setMainApplicationClass(application);
    String previous = System.setProperty("spring.aot.enabled", "true");
    try {
      return app.run();
    } finally {
      if (previous == null) {
        System.clearProperty("spring.aot.enabled");
      } else {
        System.setProperty("spring.aot.enabled", previous);
      }
    }
  }

  private void compile() {
    List<String> sources;
    try (Stream<Path> files = Files.walk(output.resolve("sources"))) {
      sources = files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      // Nothing from an earlier build may be defined: the processor clears only its own outputs.
      FileSystemUtils.deleteRecursively(output.resolve("generated-classes"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> args = new ArrayList<>(List.of("-d", output.resolve("generated-classes").toString(),
        "-classpath", classPath, "-proc:none", "-nowarn", "-parameters"));
    args.addAll(sources);
    JavaCompiler javac = Objects.requireNonNull(ToolProvider.getSystemJavaCompiler(), "a JDK");
    int status = javac.run(null, null, null, args.toArray(String[]::new));
    if (status != 0) {
      throw new IllegalStateException("the generated sources do not compile (javac exit " + status + ")");
    }
  }

  private void define() {
    ClassLoader loader = application.getClassLoader();
    List<Path> roots = List.of(output.resolve("generated-classes"), output.resolve("classes"));
    for (Path root : roots) {
      for (String name : classNames(root)) {
        if (loadable(name, loader)) {
          continue;
        }
        try {
          byte[] bytes = Files.readAllBytes(root.resolve(name.replace('.', '/') + ".class"));
          MethodHandles.privateLookupIn(anchor(name, loader), MethodHandles.lookup()).defineClass(bytes);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (IllegalAccessException e) {
          throw new IllegalStateException("cannot define " + name, e);
        }
      }
    }
  }

  /**
   * A class of the application's class loader in {@code generated}'s package: the class it was
   * generated for (named before its {@code __} or {@code $$} suffix), else one named by a shorter
   * prefix of its simple name.
   */
  private static Class<?> anchor(String generated, ClassLoader loader) {
    int suffix = generated.indexOf("__");
    int proxy = generated.indexOf("$$");
    int end = suffix < 0 ? proxy : proxy < 0 ? suffix : Math.min(suffix, proxy);
    String candidate = end < 0 ? generated : generated.substring(0, end);
    int packageEnd = generated.lastIndexOf('.');
    while (candidate.length() > packageEnd + 1) {
      Class<?> found = load(candidate, loader);
      if (found != null) {
        return found;
      }
      int cut = Math.max(candidate.lastIndexOf('_'), candidate.lastIndexOf('$'));
      if (cut <= packageEnd) {
        break;
      }
      candidate = candidate.substring(0, cut);
    }
    throw new IllegalStateException("no class in the package of " + generated + " to define it beside");
  }

  private static boolean loadable(String name, ClassLoader loader) {
    return load(name, loader) != null;
  }

  private static @Nullable Class<?> load(String name, ClassLoader loader) {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }

  private static List<String> classNames(Path root) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(f -> f.toString().endsWith(".class"))
          .map(f -> root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", ""))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
