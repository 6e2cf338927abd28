package dev.mnode.node.guard;

import static dev.mnode.node.guard.GuardTestSupport.found;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Private keys, passwords, JWTs and generic secrets; and what only looks like them. */
class RedactorSecretsTest {
  private static final String PEM = "-----BEGIN RSA PRIVATE KEY-----\n"
      + "MIIEowIBAAKCAQEAx7Kq2mZ9vT4bN8cR1wYs3Dj6Fg0Pa2Se4Du6Fi8Go0Hu2Jy4\n"
      + "Kt6Lr8Mw0Nx2Qz4Zq8Xk2Lm9Vb4Nc7Rt1Yw5Hs3Jd6Fg0Pa2Se4Du6Fi8Go0Hu2\n"
      + "-----END RSA PRIVATE KEY-----";
  // {"alg":"HS256","typ":"JWT"} . {"sub":"1234567890","name":"Ada","iat":1516239022} . signature
  private static final String JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
      + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkFkYSIsImlhdCI6MTUxNjIzOTAyMn0"
      + ".Zq8Xk2Lm9Vb4Nc7Rt1Yw5Hs3Jd6Fg0Pa2Se4Du6Fi8Go";

  @Test
  void pemPrivateKey_wholeBlockIsOneSpan() {
    assertEquals(List.of("private-key:" + PEM), found("deploy key:\n" + PEM + "\nthanks"));
  }

  @Test
  void pemPrivateKey_cutShort_isFoundToTheEndOfItsBase64() {
    String cut = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAE";
    assertEquals(List.of("private-key:" + cut), found("pasted " + cut));
  }

  @Test
  void publicKeyAndMentions_areNotPrivateKeys() {
    assertEquals(List.of(), found("-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOC\n"
        + "-----END PUBLIC KEY-----"));
    assertEquals(List.of(), found("The private key stays on the YubiKey; never export it."));
  }

  @Test
  void passwordInUrl_onlyThePasswordIsFound() {
    assertEquals(List.of("password:s3cr3t-Pa55"),
        found("postgres://falcon:s3cr3t-Pa55@db.internal:5432/falcon"));
    assertEquals(List.of("password:hunter22"), found("redis://:hunter22@cache:6379/0"));
  }

  @Test
  void urlWithoutPassword_orWithAPlaceholder_isLeftAlone() {
    assertEquals(List.of(), found("postgres://localhost:5432/falcon with trust auth"));
    assertEquals(List.of(), found("postgres://app:${DB_PASSWORD}@db:5432/app"));
    assertEquals(List.of(), found("ipp://printer.local:631/ipp/print"));
  }

  @Test
  void passwordAssignment_isFound_butNotItsPlaceholdersOrMentions() {
    assertEquals(List.of("password:Tr0ub4dor3x"), found("Server=sql01;Password=Tr0ub4dor3x;"));
    assertEquals(List.of("password:correct-horse-7"), found("router password: correct-horse-7."));
    assertEquals(List.of(), found("password=${DB_PASSWORD} comes from the environment"));
    assertEquals(List.of(), found("Password rotation policy: every 90 days"));
    assertEquals(List.of("password:hunter2hunter2"), found("The db password is hunter2hunter2"));
    assertEquals(List.of(), found("The password is correct, the user name was wrong"));
    assertEquals(List.of("password:S3cretPass!"), found("mysql -u root -pS3cretPass! falcon"));
  }

  @Test
  void jwt_isFound_andWinsOverTheGenericBearerRule() {
    assertEquals(List.of("jwt:" + JWT), found("Authorization: Bearer " + JWT));
  }

  @Test
  void jwtLookalike_withoutAnAlgHeader_isNotAJwt() {
    // {"foo":"bar"} as the "header"
    assertEquals(List.of(), found("eyJmb28iOiJiYXIifQ.eyJzdWIiOiIxMjM0In0.abcdefghij"));
  }

  @Test
  void genericSecrets_needARandomLookingValue() {
    String v = "Zq8Xk2Lm9Vb4Nc7Rt1Yw5Hs3";
    assertEquals(List.of("secret:" + v), found("curl -H \"Authorization: Bearer " + v + "\""));
    assertEquals(List.of("secret:" + v), found("api_key=" + v));
    assertEquals(List.of("secret:" + v), found("The Mailgun API key is " + v + "."));
    assertEquals(List.of(), found("token: refreshTokenExpiresInSeconds"));
    assertEquals(List.of(), found("api_key=YOUR_API_KEY_HERE"));
    assertEquals(List.of(), found("Bearer authentication is required for every endpoint"));
    assertEquals(List.of("secret:" + v), found("Jenkins API token " + v + " for deploys"));
    assertEquals(List.of("secret:" + v + "=="), found("AWS_SESSION_TOKEN=" + v + "=="));
  }
}
