package io.reliabletx.sample.common.api;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The HTTP edge both services share, over real HTTP (Tomcat, the JDK client): every answer names its request and
 * replica, no 2xx leaves without a body whatever path produced it, and a body with a field given twice or anything
 * after its value is a 400 naming the problem.
 */
@SpringBootTest(classes = HttpEdgeTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.application.name=edge-test", "reliabletx.access-log=true",
        "spring.autoconfigure.exclude=org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration,"
            + "org.mybatis.spring.boot.autoconfigure.MybatisAutoConfiguration"})
class HttpEdgeTest {

  record Placed(@NotNull @Positive Long productId, @NotNull @Positive Integer count) {
  }

  static final class Unanswered extends RuntimeException {
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @RestController
    static class Paths {
      @GetMapping("/null-entity")
      ResponseEntity<Map<String, String>> nullEntity() {
        return null;
      }

      @GetMapping("/empty-ok")
      ResponseEntity<Map<String, String>> emptyOk() {
        return ResponseEntity.ok().build();
      }

      @GetMapping("/null-body")
      ResponseEntity<Map<String, String>> nullBody() {
        return ResponseEntity.ok().header("Location", "/somewhere").body(null);
      }

      @GetMapping("/handled-as-null")
      Map<String, String> handledAsNull() {
        throw new Unanswered();
      }

      /** An exception handler returning null: Spring then takes the request as handled and writes nothing. */
      @ExceptionHandler(Unanswered.class)
      ResponseEntity<Object> unanswered(Unanswered e) {
        return null;
      }

      @GetMapping("/later")
      java.util.concurrent.Callable<Map<String, String>> later() {
        return () -> Map.of("later", "yes");
      }

      @GetMapping("/no-content")
      ResponseEntity<Void> noContent() {
        return ResponseEntity.noContent().build();
      }

      @GetMapping("/ok")
      Map<String, String> ok() {
        return Map.of("ok", "yes");
      }

      @PostMapping("/placed")
      Placed placed(@Valid @RequestBody Placed placed) {
        return placed;
      }
    }
  }

  @LocalServerPort int port;
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void everyPathThatWouldAnswerAnEmpty2xxAnswers500WithAProblemInstead() throws Exception {
    for (String path : List.of("/null-entity", "/empty-ok", "/null-body", "/handled-as-null")) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(500);
      assertThat(r.headers().firstValue("Content-Type")).as(path).hasValue("application/problem+json");
      assertThat(r.body()).as(path).contains("\"status\":500").contains("no answer").contains(path);
      assertThat(r.headers().firstValue(RequestIdentity.REQUEST_ID)).as(path).isPresent();
      assertThat(r.headers().firstValue(RequestIdentity.SERVED_BY)).as(path).isPresent();
      assertThat(r.headers().firstValue("Location")).as("the empty answer's own headers are dropped").isEmpty();
    }
  }

  @Test
  void answersWithABodyAndNoContentAreLeftAlone() throws Exception {
    HttpResponse<String> ok = get("/ok");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("{\"ok\":\"yes\"}");
    assertThat(get("/no-content").statusCode()).isEqualTo(204);
    HttpResponse<String> later = get("/later");
    assertThat(later.statusCode()).as("an asynchronous answer, written after the filters returned").isEqualTo(200);
    assertThat(later.body()).isEqualTo("{\"later\":\"yes\"}");
    HttpResponse<String> head = http.send(HttpRequest.newBuilder(uri("/ok")).method("HEAD",
        HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(head.statusCode()).isEqualTo(200);
  }

  @Test
  void everyAnswerNamesItsRequestAndReplica() throws Exception {
    HttpResponse<String> echoed = http.send(HttpRequest.newBuilder(uri("/ok")).header("X-Request-Id", "c1-7-2")
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(echoed.headers().firstValue(RequestIdentity.REQUEST_ID)).hasValue("c1-7-2");
    assertThat(echoed.headers().firstValue(RequestIdentity.SERVED_BY).orElseThrow())
        .startsWith("edge-test@").endsWith(" pid " + ProcessHandle.current().pid());

    String generated = get("/ok").headers().firstValue(RequestIdentity.REQUEST_ID).orElseThrow();
    assertThat(generated).matches("[0-9a-f]{16}").isNotEqualTo(get("/ok").headers().firstValue(
        RequestIdentity.REQUEST_ID).orElseThrow());
    // A client's id that could forge a log line or a header is replaced, not echoed.
    HttpResponse<String> forged = http.send(HttpRequest.newBuilder(uri("/ok")).header("X-Request-Id",
        "x\" y; " + "z".repeat(200)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(forged.headers().firstValue(RequestIdentity.REQUEST_ID).orElseThrow()).matches("[0-9a-f]{16}");
    // Error answers too: a 404 of Spring's, and a 400 of ours.
    assertThat(get("/nowhere").headers().firstValue(RequestIdentity.SERVED_BY)).isPresent();
    assertThat(post("{").headers().firstValue(RequestIdentity.REQUEST_ID)).isPresent();
  }

  @Test
  void aFieldGivenTwiceIsA400NamingIt() throws Exception {
    HttpResponse<String> r = post("{\"productId\":1,\"count\":1,\"count\":500}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(r.body()).contains("field 'count' is given more than once")
        .contains("\"errors\":[{").contains("\"field\":\"count\"");
  }

  @Test
  void anythingAfterTheBodysValueIsA400() throws Exception {
    for (String body : List.of("{\"productId\":1,\"count\":1}{\"productId\":2,\"count\":9}",
        "{\"productId\":1,\"count\":1} 5", "{\"productId\":1,\"count\":1}]", "{\"productId\":1,\"count\":1} garbage")) {
      HttpResponse<String> r = post(body);
      assertThat(r.statusCode()).as(body).isEqualTo(400);
      assertThat(r.body()).as(body).contains("malformed JSON").doesNotContain("io.reliabletx");
    }
    assertThat(post("{\"productId\":1,\"count\":1}  \n").statusCode()).as("trailing white space is fine").isEqualTo(200);
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String body) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri("/placed")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }
}
