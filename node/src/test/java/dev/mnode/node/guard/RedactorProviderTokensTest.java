package dev.mnode.node.guard;

import static dev.mnode.node.guard.GuardTestSupport.found;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each provider's token format is found with its type and exact bounds; look-alikes are not. */
class RedactorProviderTokensTest {
  // Fake values of the right shape, made up for these tests.
  private static final String AWS_KEY = "AKIAQ3EGRT5YWZ7N2XKD";
  private static final String AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYz9Q2mTk4Lp";
  private static final String GITHUB = "ghp_R8x2Lq9ZfK3mV7nB1cT5yH0wJ4dS6gA2pE8u";
  private static final String GITHUB_PAT = "github_pat_11ABCDEFG0123456789abc_"
      + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456";
  private static final String GITLAB = "glpat-x7Kq2mZ9vT4bN8cR1wYs";
  private static final String SLACK = "xoxb-21837465012-4829103746521-Zq8Xk2Lm9Vb4Nc7Rt1Yw5Hs3";
  private static final String STRIPE = "sk_live_51Hx7Kq2mZ9vT4bN8cR1wYs3D";
  private static final String OPENAI = "sk-proj-Zq8Xk2Lm9Vb4Nc7Rt1Yw5Hs3Jd6Fg0Pa2Se4Du6Fi8Go0Hu2Jy4Kt6Lr8";
  private static final String ANTHROPIC = "sk-ant-api03-" + "Ab3_Cd5-Ef7Gh9Ij1Kl".repeat(5).substring(0, 93) + "AA";
  private static final String GOOGLE = "AIzaSyD4x7Kq2mZ9vT4bN8cR1wYs3Dj6Fg0Pa2S";
  private static final String TWILIO = "SK2b7e4f9a1c3d5e7f9a1b3c5d7e9f1a3b";
  private static final String SENDGRID =
      "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";
  private static final String NPM = "npm_Zq8Xk2Lm9Vb4Nc7Rt1Yw5Hs3Jd6Fg0Pa2Se4";
  private static final String PYPI = "pypi-AgEIcHlwaS5vcmc" + "CJDk3NGE5ZTU1LTg4YjAtNDk2ZC1iNjA0LTA2ZjE5NmU2AAIqWzMsImV4cCJdAAYgZm9vYmFy";

  @Test
  void awsAccessKeyId_isFound() {
    assertEquals(List.of("aws-key:" + AWS_KEY), found("key id " + AWS_KEY + " for the backup job"));
  }

  @Test
  void awsSecret_isFoundNearItsName_only() {
    assertEquals(List.of("aws-secret:" + AWS_SECRET),
        found("aws_secret_access_key = " + AWS_SECRET));
    assertEquals(List.of(), found("the blob " + AWS_SECRET + " came from the cache"));
  }

  @Test
  void awsSecret_rightAfterItsAccessKeyId_isFound() {
    assertEquals(List.of("aws-key:" + AWS_KEY, "aws-secret:" + AWS_SECRET),
        found("AWS key pair: " + AWS_KEY + " / " + AWS_SECRET));
  }

  @Test
  void awsSecret_gitHashNearItsName_isNotASecret() {
    assertEquals(List.of(),
        found("AWS secret rotation fixed in a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"));
  }

  @Test
  void githubTokens_classicAndFineGrained_areFound() {
    assertEquals(List.of("github-token:" + GITHUB), found("GH_TOKEN=" + GITHUB));
    assertEquals(List.of("github-token:" + GITHUB_PAT), found("pat " + GITHUB_PAT + "."));
    assertEquals(List.of(), found("tokens look like ghp_ and 36 characters"));
  }

  @Test
  void gitlabToken_isFound_evenInsideACloneUrl() {
    assertEquals(List.of("gitlab-token:" + GITLAB),
        found("git clone https://oauth2:" + GITLAB + "@gitlab.example.com/a/b.git"));
  }

  @Test
  void slackTokenAndWebhook_areFound() {
    assertEquals(List.of("slack-token:" + SLACK), found("bot " + SLACK));
    String hook = "T0ABC1234/B0DEF567890/Zq8Xk2Lm9Vb4Nc7Rt1Yw5Hs3";
    assertEquals(List.of("slack-token:" + hook),
        found("post to https://hooks.slack.com/services/" + hook));
    assertEquals(List.of(), found("the #team-infra channel on Slack"));
  }

  @Test
  void stripeSecretKey_isFound_butNotPublishableKeyOrCustomerId() {
    assertEquals(List.of("stripe-key:" + STRIPE), found("STRIPE_SECRET_KEY=" + STRIPE));
    assertEquals(List.of(), found("pk_test_TYooMQauvdEDq54NiTphI7jx is public; cus_NffrFeUfNV2Hib"));
  }

  @Test
  void openaiAndAnthropicKeys_getTheirOwnTypes() {
    assertEquals(List.of("openai-key:" + OPENAI, "anthropic-key:" + ANTHROPIC),
        found("OPENAI_API_KEY=" + OPENAI + " and ANTHROPIC_API_KEY=" + ANTHROPIC));
    assertEquals(List.of(), found("we use scikit-learn and sk-ant style keys"));
  }

  @Test
  void googleTwilioSendgridNpmPypi_areFound() {
    assertEquals(List.of("google-api-key:" + GOOGLE), found("apiKey: \"" + GOOGLE + "\""));
    assertEquals(List.of("twilio-key:" + TWILIO), found("Twilio " + TWILIO));
    assertEquals(List.of("sendgrid-key:" + SENDGRID), found("SENDGRID_API_KEY=" + SENDGRID));
    assertEquals(List.of("npm-token:" + NPM), found("//registry.npmjs.org/:_authToken=" + NPM));
    assertEquals(List.of("pypi-token:" + PYPI), found("password = " + PYPI));
  }

  @Test
  void twilioAuthToken_isFoundNearItsName() {
    String token = "9f86d081884c7d659a2feaa0c55ad015";
    assertEquals(List.of("twilio-key:" + token), found("Twilio auth token: " + token));
    assertEquals(List.of(), found("md5 " + token + " of the archive"));
  }
}
