package dev.cachet.redis;

import dev.cachet.testing.Commands;
import io.lettuce.core.SslOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A private CA made at test time with {@code openssl}, in a temporary directory, and two
 * certificates it signs: the server's (by default for {@code 127.0.0.1} and {@code localhost})
 * and a client's, for mutual TLS. Keys are PKCS#8 PEM files, as both Redis and Netty read them. Public
 * for the starter's tests, which take it from this module's test-jar.
 */
public final class TestCertificates implements AutoCloseable {
  private final Path dir;

  private TestCertificates(Path dir) {
    this.dir = dir;
  }

  public static TestCertificates generate() {
    return generate("IP:127.0.0.1,DNS:localhost");
  }

  /**
   * As {@link #generate()}, with a server certificate for {@code serverNames}, its {@code
   * subjectAltName} (e.g. {@code DNS:localhost}, which a client checking the host name accepts
   * for {@code localhost} and refuses for {@code 127.0.0.1}).
   */
  static TestCertificates generate(String serverNames) {
    try {
      TestCertificates certs = new TestCertificates(Files.createTempDirectory("cachet-tls-"));
      certs.makeCa();
      // Cluster nodes, replicas and Sentinels present the server certificate as clients too.
      certs.makeSigned("server", "localhost",
          "subjectAltName=" + serverNames + "\nextendedKeyUsage=serverAuth,clientAuth\n");
      certs.makeSigned("client", "cachet-test-client", "extendedKeyUsage=clientAuth\n");
      return certs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void makeCa() {
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=Cachet Test CA",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
  }

  private void makeSigned(String name, String commonName, String extensions) throws IOException {
    Files.writeString(dir.resolve(name + ".ext"), "basicConstraints=CA:FALSE\n" + extensions);
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + commonName);
    openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", name + ".crt", "-days", "2", "-extfile", name + ".ext");
  }

  private void openssl(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Commands.executable("openssl", "apt-get install -y openssl"));
    command.addAll(List.of(args));
    Commands.runOrFail(dir, command);
  }

  public Path caCertificate() {
    return dir.resolve("ca.crt");
  }

  public Path clientCertificate() {
    return dir.resolve("client.crt");
  }

  public Path clientKey() {
    return dir.resolve("client.key");
  }

  /**
   * The {@code redis-server} arguments that serve the server certificate and check clients
   * against the CA; {@code authClients} is {@code tls-auth-clients}: {@code no}, {@code optional}
   * or {@code yes}.
   */
  public List<String> serverArgs(String authClients) {
    return List.of("--tls-cert-file", dir.resolve("server.crt").toString(),
        "--tls-key-file", dir.resolve("server.key").toString(),
        "--tls-ca-cert-file", caCertificate().toString(),
        "--tls-auth-clients", authClients);
  }

  /** {@link #serverArgs} as lines of a configuration file (a Sentinel's), one setting a line. */
  String serverConfig(String authClients) {
    List<String> args = serverArgs(authClients);
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < args.size(); i += 2) {
      lines.append(args.get(i).substring("--".length())).append(' ').append(args.get(i + 1)).append('\n');
    }
    return lines.toString();
  }

  /** The {@code redis-cli} arguments of a client that trusts the CA and holds the client key. */
  List<String> cliArgs() {
    return List.of("--tls", "--cacert", caCertificate().toString(),
        "--cert", clientCertificate().toString(), "--key", clientKey().toString());
  }

  /** Lettuce's TLS options trusting the CA, without a client certificate. */
  SslOptions trust() {
    return SslOptions.builder().jdkSslProvider().trustManager(caCertificate().toFile()).build();
  }

  /** Lettuce's TLS options trusting the CA and presenting the client certificate. */
  SslOptions trustAndClientKey() {
    return SslOptions.builder().jdkSslProvider().trustManager(caCertificate().toFile())
        .keyManager(clientCertificate().toFile(), clientKey().toFile(), null).build();
  }

  @Override
  public void close() {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is harmless.
    }
  }
}
