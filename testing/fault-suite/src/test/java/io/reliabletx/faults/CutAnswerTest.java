package io.reliabletx.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the fault suite's client (the JDK's, configured as in {@link FaultSuite}) makes of an answer cut off by a dying
 * server (FIN or RST after part of it): a failure, never a 2xx without a body. Only an answer sent whole as an empty
 * 200 (Content-Length 0, or no length and a clean close) reads as one. So an empty 2xx the suite sees was sent as such
 * by whoever listened on the port: a service's path that wrote nothing (see EmptySuccessGuard) or another listener.
 */
class CutAnswerTest {

  private static final String HEAD = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n";
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @ParameterizedTest
  @CsvSource({
      "'Content-Length: 100\r\n\r\n', false", "'Content-Length: 100\r\n\r\n', true",
      "'Content-Length: 100\r\n\r\n{\"orderNo\"', false", "'Content-Length: 100\r\n\r\n{\"orderNo\"', true",
      "'Transfer-Encoding: chunked\r\n\r\n', false", "'Transfer-Encoding: chunked\r\n\r\n', true",
      "'Transfer-Encoding: chunked\r\n\r\n10\r\n{\"orderNo\"', false",
      "'\r\n', true", "'Content-Len', false", "'Content-Len', true"})
  void anAnswerCutOffIsAFailure(String rest, boolean reset) throws Exception {
    assertThatThrownBy(() -> answeredWith(HEAD + rest, reset)).isInstanceOf(IOException.class);
  }

  @ParameterizedTest
  @CsvSource({"'Content-Length: 0\r\n\r\n', false", "'Content-Length: 0\r\n\r\n', true", "'\r\n', false"})
  void onlyAnEmpty200SentWholeReadsAsOne(String rest, boolean reset) throws Exception {
    HttpResponse<String> r = answeredWith(HEAD + rest, reset);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
  }

  /** A server that reads the request, writes {@code answer} and closes: with a FIN, or a RST when {@code reset}. */
  private HttpResponse<String> answeredWith(String answer, boolean reset) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
        try (Socket s = server.accept()) {
          InputStream in = s.getInputStream();
          in.read(new byte[8192]); // headers and the small body arrive together
          s.getOutputStream().write(answer.getBytes(StandardCharsets.US_ASCII));
          s.getOutputStream().flush();
          Thread.sleep(50);
          if (reset) {
            s.setSoLinger(true, 0);
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      try {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/orders"))
            .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"productId\":1,\"count\":2}")).build(),
            HttpResponse.BodyHandlers.ofString());
      } finally {
        served.join();
      }
    }
  }
}
