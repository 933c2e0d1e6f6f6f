package io.reliabletx.testing.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class EmbeddedMariaDbTest {

  @Test
  void servesADatabaseToItsOwnUserOnlyAndSurvivesAKill() throws Exception {
    try (EmbeddedMariaDb db = EmbeddedMariaDb.start()) {
      db.createDatabase("tx-msg-test", "svc", "s3cret");
      db.runScript("tx-msg-test", "-- a comment\nCREATE TABLE t (id INT PRIMARY KEY);\nINSERT INTO t VALUES (1);");

      try (Connection c = DriverManager.getConnection(db.jdbcUrl("tx-msg-test"), "svc", "s3cret");
           Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
      assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl("mysql"), "svc", "s3cret").close())
          .isInstanceOf(SQLException.class);

      db.kill();
      assertThatThrownBy(() -> db.rootConnection(null).close()).isInstanceOf(SQLException.class);
      db.restart();
      try (Connection c = db.rootConnection("tx-msg-test"); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT id FROM t")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
    }
  }

  @Test
  void splitsScriptsIntoStatements() {
    assertThat(SqlScript.statements("-- x\nCREATE TABLE a (\n id INT\n);\n\nINSERT INTO a VALUES (1);\nSELECT 1"))
        .containsExactly("CREATE TABLE a (\n id INT\n)", "INSERT INTO a VALUES (1)", "SELECT 1");
  }
}
