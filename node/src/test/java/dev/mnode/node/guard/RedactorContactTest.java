package dev.mnode.node.guard;

import static dev.mnode.node.guard.GuardTestSupport.found;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** E-mail addresses and phone numbers, and the numbers that only look like phone numbers. */
class RedactorContactTest {
  @Test
  void emails_areFound() {
    assertEquals(List.of("email:anna.schmidt@example.com", "email:Ben.Okafor@NORTHWIND.DEV"),
        found("Send it to anna.schmidt@example.com and cc <Ben.Okafor@NORTHWIND.DEV>."));
    assertEquals(List.of("email:lena+mnode@mail.example.net"), found("mailto:lena+mnode@mail.example.net"));
  }

  @Test
  void fileNamesScpAddressesAndPackageScopes_areNotEmails() {
    assertEquals(List.of(), found("exported as logo@2x.png and logo@3x.png"));
    assertEquals(List.of(), found("remote is git@github.com:acme/falcon.git"));
    assertEquals(List.of(), found("npm i -D @types/node@20.11.0"));
  }

  @Test
  void phoneNumbers_inInternationalOrGroupedForm_areFound() {
    assertEquals(List.of("phone:(415) 555-0132"), found("Dana's mobile is (415) 555-0132."));
    assertEquals(List.of("phone:+44 20 7946 0958"), found("office +44 20 7946 0958"));
    assertEquals(List.of("phone:020 7946 0321"), found("London office 020 7946 0321"));
    assertEquals(List.of("phone:+33 1 84 88 12 34"), found("Paris: +33 1 84 88 12 34"));
    assertEquals(List.of("phone:415.555.0132"), found("fax 415.555.0132"));
  }

  @Test
  void bareDigitRun_isAPhoneNumberOnlyAfterACue() {
    assertEquals(List.of("phone:4155550132"), found("call me on 4155550132"));
    assertEquals(List.of(), found("order 4155550132 shipped"));
  }

  @Test
  void datesVersionsDecimalsAndIds_areNotPhoneNumbers() {
    assertEquals(List.of(), found("Dentist on 2025-04-09 at 10:30"));
    assertEquals(List.of(), found("Kubernetes 1.29.4 and driver 535.129.03"));
    assertEquals(List.of(), found("The meter read 04521.377 cubic metres"));
    assertEquals(List.of(), found("Tenant 550e8400-e29b-41d4-a716-446655440000"));
    assertEquals(List.of(), found("The VPN gateway is at 10.20.30.1"));
    assertEquals(List.of(), found("Chrome version 122.0.6261.112 fixed it"));
    assertEquals(List.of(), found("Serial SN-2024-000871-B on the inverter"));
    assertEquals(List.of(), found("The ISBN 0-306-40615-2 is on the list"));
  }

  @Test
  void unknownPhoneRegion_isRejected() {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> GuardModule.redactor(List.of("XX")));
  }
}
